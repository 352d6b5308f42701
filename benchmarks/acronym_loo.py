"""Leave-one-out acronym resolution: hide a paper's own definition, see what the corpus says.

    python benchmarks/acronym_loo.py [INPUT ...] [--cache DIR] [--sample N] [--workers N]
                                     [--share X --uses N --papers N --short-papers N]
                                     [--errors N] [--half dev|test|all] [--dump FILE]

For papers that define an acronym (``Proximal Policy Optimization (PPO)``), the definition
is hidden: the paper's text keeps the short form alone (``PPO``), the paper is extracted
again and the whole corpus is linked (:func:`kg.link.link`). The paper's bare short form then
resolves to:

- right: an entity its hidden definition's long form is linked to in the full corpus (its own
  or its concept key's);
- no link: nothing, the ambiguous node (kind ``ambiguous``) or the bare acronym's own node;
- wrong: another entity, another meaning.

precision = (right + no link) / all, as issue #18 defines it (the right meaning, or no link),
strict precision = right / (right + wrong), recall = right / all.

It samples ``--sample`` definitions (one a paper, default 2,000, seeded) and hides them in
at most ``--batches`` batches (default 3), each linked once: within a batch no two hidden
definitions share a short form, except one that at least 20 papers define per hidden
definition of it, so each is as good as left out alone; a sampled definition that fits in
no batch is left out (the output says how many). Extraction goes through the cache
(``--cache``, default the folder ``kg build`` uses beside ``kg.db``): run after a build of
the same INPUT with the same code.
``--half dev`` or ``--half test`` samples the papers of one half of the corpus only (by a
stable hash of the paper id): thresholds are chosen on dev and reported on test, never
looked at while choosing them. ``--dump FILE`` writes each hidden definition's outcome and
the meanings its short form had (a pickle of dicts), to try rules without linking again.
``--share``/``--uses``/``--papers``/``--short-papers`` try other dominance thresholds
(kg.link.corpus.DOMINANT_SHARE, DOMINANT_USES, DOMINANT_PAPERS, DOMINANT_SHORT_PAPERS);
``--papers 1 --short-papers 1`` is the rule before the papers thresholds, ``--share 1
--uses 1000000000 --papers 1 --short-papers 1`` the rule before #18 (link whenever the
corpus gives one meaning).
"""

import argparse
import importlib
import pickle
import random
import sys
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from kg.build import default_cache_dir, extract_papers, read_inputs
from kg.extract import PaperExtraction
from kg.extract.acronyms import find_acronyms
from kg.link import link
from kg.models import Graph, Paper
from kg.names import name_key, singular_acronym

corpus = importlib.import_module("kg.link.corpus")  # kg.link is also the function's name
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "paperlists"
_PER_HIDDEN = 20  # a short form this many papers define per hidden definition may share a batch


@dataclass(frozen=True)
class Hidden:
    """One hidden definition: the paper, its short form and the entity it is right to reach."""

    index: int  # the paper's place in the corpus
    short: str
    long: str
    right: frozenset[str]  # the keys the long form is linked to in the full corpus
    section: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=[str(DATA)])
    parser.add_argument("--cache", default=str(default_cache_dir("kg.db")))
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batches", type=int, default=3, help="links of the corpus at most")
    parser.add_argument("--share", type=float, help="DOMINANT_SHARE to try")
    parser.add_argument("--uses", type=int, help="DOMINANT_USES to try")
    parser.add_argument("--papers", type=int, help="DOMINANT_PAPERS to try")
    parser.add_argument("--short-papers", type=int, help="DOMINANT_SHORT_PAPERS to try")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong ones")
    parser.add_argument("--dump", help="write each hidden definition's outcome here (pickle)")
    parser.add_argument(
        "--half",
        choices=("dev", "test", "all"),
        default="all",
        help="papers of one half only (a stable hash of the paper id): tune on dev, report test",
    )
    args = parser.parse_args()
    if args.share is not None:
        corpus.DOMINANT_SHARE = args.share
    if args.uses is not None:
        corpus.DOMINANT_USES = args.uses
    if args.papers is not None:
        corpus.DOMINANT_PAPERS = args.papers
    if args.short_papers is not None:
        corpus.DOMINANT_SHORT_PAPERS = args.short_papers
    began = time.perf_counter()

    papers = read_inputs(args.inputs).papers
    run = extract_papers(papers, workers=args.workers, cache_dir=args.cache)
    extractions = list(run)
    note(f"{len(papers)} papers read and extracted ({run.counts})", began)
    full = link(extractions)
    note("full corpus linked", began)

    candidates = [
        h for h in definitions(extractions, full) if in_half(extractions[h.index].paper, args.half)
    ]
    defining = Counter(h.short for h in candidates)
    rng = random.Random(args.seed)
    sample = rng.sample(candidates, min(args.sample, len(candidates)))
    note(f"{len(candidates)} definitions (one a paper), {len(sample)} sampled", began)

    batches = batch(sample, defining, args.batches)
    outcome: Counter[str] = Counter()
    wrong: list[tuple[Hidden, list[str]]] = []
    dumped: list[dict[str, object]] = []
    seen: dict[str, corpus.Meanings] = {}
    dominant = corpus.dominant_meaning

    def spy(meanings: corpus.Meanings, **kw: object) -> str | None:
        seen[meanings.short] = meanings
        return dominant(meanings, **kw)

    corpus.dominant_meaning = spy
    for number, hidden in enumerate(batches, 1):
        seen.clear()
        changed = {h.index: hide(extractions[h.index].paper, h) for h in hidden}
        again = extract_papers(list(changed.values()), workers=args.workers, cache_dir=None)
        replaced = dict(zip(changed, list(again), strict=True))
        graph = link(replaced.get(i, e) for i, e in enumerate(extractions))
        for h in hidden:
            result, reached = resolve(graph, replaced[h.index].paper, h)
            outcome[result] += 1
            if result == "wrong":
                wrong.append((h, reached))
            entry = seen.get(h.short) or seen.get(singular_acronym(h.short))
            dumped.append(
                {
                    "short": h.short,
                    "long": h.long,
                    "right": sorted(h.right),
                    "result": result,
                    "reached": reached,
                    "source": extractions[h.index].paper.source,
                    "meanings": {k: len(v) for k, v in entry.papers.items()} if entry else {},
                    "bare": entry.bare if entry else 0,
                }
            )
        note(f"batch {number}/{len(batches)}: {len(hidden)} hidden", began)

    total = sum(outcome.values())
    right, none, ambiguous, bare, bad = (
        outcome[k] for k in ("right", "none", "ambiguous", "bare", "wrong")
    )
    no_link = none + ambiguous + bare
    print(
        f"definitions hidden: {total} of {len(candidates)} (half {args.half}, sampled "
        f"{len(sample)}, seed {args.seed}; {len(batches)} batches, "
        f"{len(sample) - total} fitting none left out); "
        f"thresholds: share {corpus.DOMINANT_SHARE}, "
        f"uses {corpus.DOMINANT_USES}, papers {corpus.DOMINANT_PAPERS} "
        f"({corpus.DOMINANT_SHORT_PAPERS} for {corpus.SHORT_ACRONYM} letters or fewer)"
    )
    print(
        f"right {right}  no link {no_link} (none {none}, ambiguous {ambiguous}, "
        f"bare node {bare})  wrong {bad}"
    )
    if total:
        strict = right / (right + bad) if right + bad else 0.0
        print(
            f"precision {(right + no_link) / total:.3f}  strict precision {strict:.3f}  "
            f"recall {right / total:.3f}"
        )
    if args.dump:
        Path(args.dump).write_bytes(pickle.dumps(dumped))
    for h, reached in wrong[: args.errors]:
        print(f"wrong: {h.short} = {h.long!r} (right: {sorted(h.right)}) reached {reached}")
    note("done", began)


def note(text: str, began: float) -> None:
    print(f"[{time.perf_counter() - began:6.0f} s] {text}", file=sys.stderr, flush=True)


def in_half(paper: Paper, half: str) -> bool:
    """Whether the paper is in the ``half`` of the corpus: dev or test by a stable hash of
    its id (the same split on every run and machine), or all."""
    if half == "all":
        return True
    return (zlib.crc32(paper.id.encode()) % 2 == 0) == (half == "dev")


def definitions(extractions: list[PaperExtraction], full: Graph) -> list[Hidden]:
    """Each paper's first acronym definition that the full corpus links to a meaning."""
    # (paper, long form surface) -> entity keys: the phrase's own and its concept key's
    # (``Aspect-based Sentiment Analysis`` also reaches ``sentiment analysis``)
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in full.mentions:
        for surface in m.surfaces:
            keys[(m.paper_id, surface)].add(m.key)
    found = []
    for index, extraction in enumerate(extractions):
        paper = extraction.paper
        for section, text in (("title", paper.title), ("abstract", paper.abstract)):
            acronyms = find_acronyms(text)
            if not acronyms:
                continue
            acronym = acronyms[0]
            short = singular_acronym(acronym.short)
            right = frozenset(keys.get((paper.id, acronym.long), set()) - {name_key(short)})
            if not right:
                continue  # no meaning in the full corpus: nothing to be right about
            if sum(a.short == acronym.short for a in acronyms) > 1:
                continue  # defined twice: hiding one leaves the other
            found.append(Hidden(index, acronym.short, acronym.long, right, section))
            break
    return found


def batch(sample: list[Hidden], defining: Counter[str], most: int) -> list[list[Hidden]]:
    """Group the hidden definitions so that each is as good as hidden alone (see above), in
    ``most`` batches at most: a definition that fits in none is left out."""
    batches: list[list[Hidden]] = []
    counts: list[Counter[str]] = []
    for h in sample:
        allowed = max(1, defining[h.short] // _PER_HIDDEN)
        for hidden, count in zip(batches, counts, strict=True):
            if count[h.short] < allowed:
                hidden.append(h)
                count[h.short] += 1
                break
        else:
            if len(batches) < most:
                batches.append([h])
                counts.append(Counter({h.short: 1}))
    return batches


def hide(paper: Paper, h: Hidden) -> Paper:
    """The paper with its definition of ``h.short`` written as the short form alone."""
    text = paper.title if h.section == "title" else paper.abstract
    acronym = next(a for a in find_acronyms(text) if a.short == h.short)
    start = min(acronym.short_start, acronym.long_start)
    end = max(acronym.short_end, acronym.long_end)
    if text[end : end + 1] == ")":
        end += 1  # ``Proximal Policy Optimization (PPO)``: the parenthesis goes too
    if start > 0 and text[start - 1] == "(":
        start -= 1
    hidden = text[:start] + h.short + text[end:]
    return replace(paper, **{h.section: hidden})


def resolve(graph: Graph, paper: Paper, h: Hidden) -> tuple[str, list[str]]:
    """What the paper's bare short form was linked to: right, wrong, ambiguous, bare, none."""
    forms = {h.short, singular_acronym(h.short)}
    reached = sorted(
        {m.key for m in graph.mentions if m.paper_id == paper.id and forms & set(m.surfaces)}
    )
    if not reached:
        return "none", reached
    if h.right & set(reached):
        return "right", reached
    kinds = defaultdict(str, {k: graph.entities[k].kind for k in reached if k in graph.entities})
    if all(kinds[k] == corpus.AMBIGUOUS for k in reached):
        return "ambiguous", reached
    bare = {name_key(f) for f in forms}
    if all(k in bare or kinds[k] == corpus.AMBIGUOUS for k in reached):
        return "bare", reached
    return "wrong", reached


if __name__ == "__main__":
    main()
