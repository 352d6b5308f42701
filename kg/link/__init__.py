"""The link stage: merge a corpus's mentions into entities, one node per thing.

- :mod:`.corpus`: :func:`link`, the stage itself (acronyms across papers, keys, entities, links)
- :mod:`.definitions`: each paper's acronym definitions put back whole
- :mod:`.aliases`: spellings and long forms that are one entity beyond the name key
- :mod:`.variants`: sizes, versions, families and affixes (``UniGRPO`` VARIANT_OF ``GRPO``)
- :mod:`.overrides`: the user's TOML file of forced merges, splits, types and ignores
- :mod:`.provenance`: why each entity was formed (``kg entities show``)
"""

from kg.link.corpus import link

__all__ = ["link"]
