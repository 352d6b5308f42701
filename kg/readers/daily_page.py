"""Read a HuggingFace Daily Papers page as copied from the browser.

The page is plain text: a header (``Daily Papers``, ``byAK and the research
community``, a day such as ``Jan 7``), then one block per paper::

    Title line

    Abstract paragraph (URLs kept).

      • 6 authors          <- or an organisation line such as ``amazon Amazon``
    ·
    Feb 24, 2026 3        <- date, then an optional upvote count

The metadata block (last three lines) is optional: some papers go straight on
to the next title.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import paper_problem, strip_markup
from kg.readers.ids import paper_id

__all__ = ["looks_like_daily_page", "parse_daily_page"]

HEADER_LINES = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        "by AK and the research community",
        "Daily",
        "Weekly",
        "Monthly",
        "Daily Weekly Monthly",
    }
)
# What a browser copy adds around each card: who submitted it, the upvote button.
_SUBMITTED = re.compile(r"^Submitted by(?:\s+\S+)?$")
_UPVOTE = "Upvote"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_DAY_LINE = re.compile(rf"^{_MONTH} \d{{1,2}}$")
_DATE_LINE = re.compile(rf"^({_MONTH}) (\d{{1,2}}), (\d{{4}})(?:\s+(\d+))?$")
_AUTHORS_LINE = re.compile(r"^•\s*(\d+)\s+authors?$")
_ORG_LINE = re.compile(r"^([\w.-]+)\s+(\S.*)$")
_SEPARATOR = "·"
# A title is one line; anything longer than this is a paragraph, not a title.
_MAX_TITLE_CHARS = 400
# An abstract is a paragraph: several words, or a sentence.
_MIN_ABSTRACT_WORDS = 12


_Report = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class _Group:
    """A run of non-blank lines; ``line`` is the 1-based number of the first."""

    line: int
    lines: tuple[str, ...]


def looks_like_daily_page(text: str) -> bool:
    """Tell whether ``text`` has the page's header or at least one ``·``/date metadata block.

    >>> looks_like_daily_page("Daily Papers\\n\\nA title\\n\\nAn abstract.")
    True
    >>> looks_like_daily_page("Title\\n\\nAbstract.\\n\\nopenai OpenAI\\n·\\nFeb 2, 2026 3\\n")
    True
    >>> looks_like_daily_page("Dear diary,\\n\\ntoday I read a paper.")
    False
    """
    lines = [line.strip() for line in text.splitlines()]
    if "Daily Papers" in lines[:20]:
        return True
    return any(
        line == _SEPARATOR and i + 1 < len(lines) and _DATE_LINE.match(lines[i + 1])
        for i, line in enumerate(lines)
    )


def parse_daily_page(
    text: str, *, source: str = "<text>", errors: list[InputError] | None = None
) -> Iterator[Paper]:
    """Yield the papers on a Daily Papers page, in page order.

    A malformed block is reported as an :class:`InputError` naming ``source`` and
    the line: appended to ``errors`` when a list is given (reading goes on with
    the next block), raised otherwise. Papers read before and after it are kept.
    """

    def report(message: str, line: int) -> None:
        error = InputError(message, path=source, line=line)
        if errors is None:
            raise error
        errors.append(error)

    if not looks_like_daily_page(text):
        raise InputError(
            "not a Daily Papers page: no 'Daily Papers' header and no '·' + date lines",
            path=source,
            line=1,
        )
    groups = [g for g in _skip_header(_groups(text)) if not _is_submitted(g)]
    i = 0
    last: Paper | None = None  # read, and waiting for an Upvote count after it
    while i < len(groups):
        title_group = groups[i]
        if votes := _upvotes(title_group):
            if last is not None and last.upvotes is None and votes[0] is not None:
                last = replace(last, upvotes=votes[0])
            i += 1
            continue
        if last is not None:
            yield last
            last = None
        if _is_metadata(title_group):
            report("metadata block with no paper before it", title_group.line)
            i += 1
            continue
        title = " ".join(title_group.lines)
        next_group = groups[i + 1] if i + 1 < len(groups) else None
        wrapped = (
            1 < len(title_group.lines) <= 3
            and len(title) <= _MAX_TITLE_CHARS
            and not title.endswith(".")
            and next_group is not None
            and _is_abstract(next_group)
        )
        if (len(title_group.lines) > 1 and not wrapped) or len(title) > _MAX_TITLE_CHARS:
            report("expected a single title line here, found a paragraph", title_group.line)
            i += 1
            continue
        abstract_group = groups[i + 1] if i + 1 < len(groups) else None
        if abstract_group is None or not _is_abstract(abstract_group):
            what = "end of file" if abstract_group is None else "no abstract paragraph"
            report(f"paper {title!r} is truncated: {what} after its title", title_group.line)
            i += 1 if abstract_group is None or not _is_metadata(abstract_group) else 2
            continue
        abstract = strip_markup(" ".join(line.strip() for line in abstract_group.lines))
        title = strip_markup(title)
        if problem := paper_problem(title, abstract):
            report(problem, title_group.line)
            i += 2
            if i < len(groups) and _is_metadata(groups[i]):
                i += 1  # the rejected paper's own metadata
            continue
        paper = Paper(
            id=paper_id(title), title=title, abstract=abstract, source=source, line=title_group.line
        )
        i += 2
        if i < len(groups) and _is_metadata(groups[i]):
            paper = _add_metadata(paper, groups[i], report)
            i += 1
        last = paper
    if last is not None:
        yield last


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            groups.append(_Group(start, tuple(current)))
            current = []
    if current:
        groups.append(_Group(start, tuple(current)))
    return groups


def _skip_header(groups: list[_Group]) -> list[_Group]:
    """Drop the page header: its fixed lines and the day line (``Feb 25``) after them."""
    i = 0
    while i < len(groups):
        lines = groups[i].lines
        if all(line in HEADER_LINES or _DAY_LINE.match(line) for line in lines):
            i += 1
        else:
            break
    return groups[i:]


def _is_submitted(group: _Group) -> bool:
    """``Submitted by`` and the submitter's handle (one or two lines)."""
    return bool(_SUBMITTED.match(group.lines[0])) and len(group.lines) <= 2


def _upvotes(group: _Group) -> tuple[int | None] | None:
    """``Upvote`` and an optional count: ``(count,)``, or None when the group is not that."""
    lines = group.lines
    if lines[0] != _UPVOTE or len(lines) > 2:
        return None
    if len(lines) == 2:
        return (int(lines[1]),) if lines[1].isdigit() else None
    return (None,)


def _is_metadata(group: _Group) -> bool:
    return _SEPARATOR in group.lines


def _is_abstract(group: _Group) -> bool:
    if _is_metadata(group):
        return False
    text = " ".join(group.lines)
    return len(text.split()) >= _MIN_ABSTRACT_WORDS or text.rstrip().endswith((".", "!", "?"))


def _add_metadata(paper: Paper, group: _Group, report: _Report) -> Paper:
    """Read ``• N authors`` or ``handle Name``, then ``·``, then ``Mon D, YYYY [upvotes]``."""
    meta: dict[str, Any] = {}
    for offset, line in enumerate(group.lines):
        number = group.line + offset
        if line == _SEPARATOR:
            continue
        if match := _DATE_LINE.match(line):
            month, day, year, upvotes = match.groups()
            try:
                meta["date"] = date(int(year), _MONTHS.index(month) + 1, int(day)).isoformat()
            except ValueError:
                report(f"impossible date {line!r}; the paper is kept without a date", number)
            if upvotes is not None:
                meta["upvotes"] = int(upvotes)
        elif match := _AUTHORS_LINE.match(line):
            meta["authors_count"] = int(match.group(1))
        elif (match := _ORG_LINE.match(line)) and offset == 0:
            meta["organization_handle"], meta["organization"] = match.groups()
        else:
            report(f"unexpected line in a paper's metadata block: {line!r}", number)
    if "date" not in meta and not any(_DATE_LINE.match(line) for line in group.lines):
        report("metadata block has no date line ('Mon D, YYYY')", group.line)
    return replace(paper, **meta)
