"""Stable identifiers for papers, so a re-run finds the node it wrote before."""

import hashlib
import re
import unicodedata

__all__ = ["author_key", "normalise_arxiv_id", "normalise_title", "paper_id"]

_ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I)


def normalise_title(title: str) -> str:
    """Return the title as compared for identity: NFKC, casefolded, letters and digits only.

    >>> normalise_title("  PyVision-RL:  Forging Open Agentic Vision Models via RL ")
    'pyvision rl forging open agentic vision models via rl'
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


def author_key(name: str) -> str:
    """Return the key an author node is merged on: the name's words, casefolded, accents kept.

    Two people with the same name share a node; sources rarely give more to tell them apart.

    >>> author_key("  Jürgen  Schmidhuber ") == author_key("jürgen schmidhuber")
    True
    """
    return normalise_title(name)


def normalise_arxiv_id(text: object) -> str | None:
    """Return an arXiv id without prefix, URL or version, or None when ``text`` is not one.

    >>> normalise_arxiv_id("http://arxiv.org/abs/2401.12345v2")
    '2401.12345'
    >>> normalise_arxiv_id("hep-th/9901001")
    'hep-th/9901001'
    >>> normalise_arxiv_id("B1-Hhnslg") is None
    True
    """
    if not isinstance(text, str):
        return None
    text = re.sub(r"^https?://(?:export\.)?arxiv\.org/(?:abs|pdf)/", "", text.strip())
    match = _ARXIV_ID.match(text.removesuffix(".pdf"))
    return match.group(1) if match else None


def paper_id(title: str, *, arxiv_id: str | None = None) -> str:
    """Return a paper's id: ``arXiv:<id>`` when known, else a hash of the normalised title.

    >>> paper_id("Attention Is All You Need", arxiv_id="1706.03762v7")
    'arXiv:1706.03762'
    >>> paper_id("Attention is all you need!") == paper_id("ATTENTION IS ALL YOU NEED")
    True
    >>> paper_id("Attention Is All You Need")
    'title:...'
    """
    if arxiv_id:
        match = _ARXIV_ID.match(arxiv_id.strip())
        if match:
            return f"arXiv:{match.group(1)}"
    digest = hashlib.sha256(normalise_title(title).encode("utf-8")).hexdigest()
    return f"title:{digest[:16]}"
