"""Collect candidate pairs of entity names from the Daily Papers records, for labelling by hand.

    python benchmarks/data/merge_candidates.py > /tmp/candidates.jsonl
    python benchmarks/data/merge_candidates.py --sample > /tmp/to_label.jsonl

This scan is deliberately independent of kg: it uses none of kg's extraction,
catalog, keys or linking, only the regular expressions below, so the test set
does not inherit kg's blind spots. It prints every candidate pair (one JSON per
line: the two (paper, surface) mentions and the generator that proposed them);
``--sample`` prints the seeded sample that ``merge_pairs.jsonl`` labels: a fixed
number per generator, at most two pairs per stem, in random order.
"""

import argparse
import io
import json
import random
import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "corpus" / "hf-daily-papers"

# Name-like tokens: a capital after the first letter, or letters and digits together.
TOKEN = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9.+-]*[A-Za-z0-9+]")
# "long form (SHORT)" with a short form of 2-10 characters starting with a capital.
DEFINITION = re.compile(r"((?:[\w'-]+\s+){1,10}?)\(\s*([A-Z][A-Za-z0-9-]{1,9}?)(s?)\s*\)")
WORD = re.compile(r"[\w'-]+")


def records() -> list[dict[str, str]]:
    found = []
    for path in sorted((CORPUS / "papers").glob("*/*.json")):
        record = json.loads(path.read_text("utf-8"))
        if record.get("abstract") and record.get("title"):
            found.append(record)
    return found


def name_like(token: str) -> bool:
    letters = any(c.isalpha() for c in token)
    inner_capital = any(c.isupper() for c in token[1:])
    digit = any(c.isdigit() for c in token)
    return letters and (inner_capital or (digit and token[0].isalpha())) and len(token) >= 2


def loose_key(name: str) -> str:
    """Lower case, letters and digits only, -ise as -ize, final plural s dropped."""
    text = re.sub(r"is(ation|e|ed|ing)\b", r"iz\1", name.casefold())
    text = re.sub(r"[^a-z0-9]", "", text)
    return text[:-1] if text.endswith("s") and len(text) > 4 else text


def stem(token: str) -> str:
    """Letters before the first digit, hyphen or dot, lower-cased: GPT-4o -> gpt."""
    return re.split(r"[-.\d_]", token.casefold(), maxsplit=1)[0]


def long_form(words: str, short: str) -> str | None:
    """The run of trailing words that starts like ``short`` with about one word per capital.

    Words are counted hyphen parts and all (``chain-of-thought`` is three).
    """
    tokens = WORD.findall(words)
    letter = short[0].casefold()
    wanted = max(2, sum(c.isupper() or c.isdigit() for c in short))
    best: tuple[int, int] | None = None
    for n in range(1, min(len(tokens), wanted + 2) + 1):
        if tokens[-n].casefold().startswith(letter):
            parts = sum(len(t.split("-")) for t in tokens[-n:])
            score = (abs(parts - wanted), n)
            best = min(best or score, score)
    return " ".join(tokens[-best[1] :]) if best else None


def main() -> None:
    out = sys.stdout
    by_stem: dict[str, dict[str, str]] = defaultdict(dict)  # stem -> surface -> first paper
    definitions: list[tuple[str, str, str]] = []  # paper, long, short
    shorts_used: dict[str, list[str]] = defaultdict(list)  # token -> papers
    for record in records():
        paper = record["paper_id"]
        text = record["title"] + ". " + record["abstract"]
        for match in TOKEN.finditer(text):
            token = match.group()
            if name_like(token):
                by_stem[stem(token)].setdefault(token, paper)
                if paper not in shorts_used[token]:
                    shorts_used[token].append(paper)
        for match in DEFINITION.finditer(text):
            long = long_form(match.group(1), match.group(2))
            if long:
                definitions.append((paper, long, match.group(2)))

    seen: set[frozenset[str | bool]] = set()

    def emit(a: tuple[str, str], b: tuple[str, str], source: str) -> None:
        """Print a pair once per two spellings; equal spellings are no candidate."""
        strings = frozenset((a[1], b[1], a[0] == b[0]))
        if a[1] == b[1] or strings in seen:
            return
        seen.add(strings)
        row = {"a": {"paper": a[0], "surface": a[1]}, "b": {"paper": b[0], "surface": b[1]}}
        out.write(json.dumps({**row, "source": source}) + "\n")

    # 1. A definition's long and short form, in its paper.
    for paper, long, short in definitions:
        emit((paper, long), (paper, short), "definition")
    # 2. Long forms of one short form, or long forms with one loose key, across papers.
    by_short: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for paper, long, short in definitions:
        by_short[short].append((paper, long))
        by_key[loose_key(long)].append((paper, long))
    for group, source in [(by_short, "same-short"), (by_key, "same-long-key")]:
        for items in group.values():
            for a, b in combinations(items, 2):
                if a[0] != b[0]:
                    emit(a, b, source)
    # 3. A long form against its short form used in another paper.
    for paper, long, short in definitions:
        for other in shorts_used.get(short, [])[:5]:
            if other != paper:
                emit((paper, long), (other, short), "bare-short")
    # 4. Name-like tokens with one stem (GPT-4 / GPT-4o / gpt4), or one inside another.
    for key, surfaces in by_stem.items():
        if len(key) < 2:
            continue
        for (x, px), (y, py) in combinations(sorted(surfaces.items()), 2):
            emit((px, x), (py, y), "same-stem")
    tokens = {t: p for surfaces in by_stem.values() for t, p in surfaces.items()}
    two_capitals = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*")
    capitals = [t for t in tokens if len(t) >= 3 and two_capitals.fullmatch(t)]
    for short in capitals:
        for token in tokens:
            if token != short and short in token and stem(token) != stem(short):
                emit((tokens[short], short), (tokens[token], token), "contains")


# Pairs drawn per generator by --sample.
SAMPLE = {"definition": 90, "same-short": 60, "bare-short": 60, "same-stem": 130, "contains": 40}
VERSIONED = 80


def sample(lines: list[str]) -> list[str]:
    rng = random.Random(5)
    rows = [json.loads(line) for line in lines]
    rng.shuffle(rows)
    chosen: list[dict[str, object]] = []
    per_stem: dict[str, int] = defaultdict(int)
    for source, wanted in SAMPLE.items():
        taken = 0
        for row in rows:
            if row["source"] != source or taken == wanted:
                continue
            if source == "same-stem":
                key = stem(row["a"]["surface"])
                if per_stem[key] == 2:
                    continue
                per_stem[key] += 1
            chosen.append(row)
            taken += 1
    rng.shuffle(chosen)
    # A second draw for versioned names (GPT-4 / GPT-4o, Qwen3 / Qwen3-8B), the
    # variants and near misses the first draw has few of.
    taken_pairs = {json.dumps(row) for row in chosen}
    versioned = [
        row
        for row in rows
        if row["source"] == "same-stem"
        and all(any(c.isdigit() for c in row[side]["surface"]) for side in "ab")
        and json.dumps(row) not in taken_pairs
    ]
    random.Random(6).shuffle(versioned)
    return [json.dumps(row) for row in chosen + versioned[:VERSIONED]]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="store_true", help="print the sample to label")
    if parser.parse_args().sample:
        buffer = io.StringIO()
        real, sys.stdout = sys.stdout, buffer
        main()
        sys.stdout = real
        print("\n".join(sample(buffer.getvalue().splitlines())))
    else:
        main()
