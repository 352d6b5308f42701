"""Loaded by ``spacy train --code training/code.py``: registers kg's spaCy components.

Importing ``kg.extract`` registers the ``kg_ner`` factory and the ``kg.HashedLinear.v1``
architecture that ``training/config.cfg`` names.
"""

import kg.extract  # noqa: F401
