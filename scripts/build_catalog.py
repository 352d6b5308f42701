"""Regenerate the catalog files derived from public lists in ../shared/data/gazetteers.

    python scripts/build_catalog.py [--gazetteers ../shared/data/gazetteers]

Writes, next to the hand-written ``kg/data/catalog.jsonl``:

* ``kg/data/catalog_pwc.jsonl`` - datasets (with their variants) and tasks from Papers
  with Code (CC BY-SA 4.0: the file keeps that licence and its attribution, see
  ``kg/data/README.md``);
* ``kg/data/catalog_universities.jsonl`` - universities from Hipo's
  university-domains-list (MIT).

Names that would match ordinary words are left out: single plain capitalised words
(``Sprites``), names of three characters or fewer (``ERA``), names with commas or
parentheses (``STL-10, 1000 Labels``), one-word task names (``Translation``) and task
names that do not end in an activity noun (``AI Agent``).
"""

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kg" / "data"
_ACTIVITY = re.compile(r"(tion|sion|ing|sis|val|ment|ance)$", re.I)
_NAME_SHAPE = re.compile(r"[a-z][A-Z]|[A-Z]{2}|\d|\w-[A-Z]")


def usable_dataset_name(name: str) -> bool:
    name = name.strip()
    if len(name) <= 3 or len(name) > 60 or any(c in name for c in ",()[];:"):
        return False
    words = name.split()
    if len(words) > 6:
        return False
    if len(words) == 1:
        return bool(_NAME_SHAPE.search(name))  # MuMu, COCO, STL-10; not Sprites
    return True


def usable_task_name(name: str) -> bool:
    """Multi-word names ending in an activity noun: ``Object Detection``, not ``AI Agent``."""
    words = name.split()
    if not 2 <= len(words) <= 6 or not re.fullmatch(r"[A-Za-z][A-Za-z0-9 '&/+-]+", name):
        return False
    return bool(_ACTIVITY.search(words[-1]))


def pwc_entries(gazetteers: Path) -> list[dict[str, object]]:
    entries: dict[str, dict[str, object]] = {}
    with (gazetteers / "pwc_datasets_with_variants.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            names = [
                n for n in [record["id"], *record.get("variants", [])] if usable_dataset_name(n)
            ]
            if not names:
                continue
            canonical, aliases = names[0], sorted(set(names[1:]) - {names[0]})
            entries.setdefault(
                canonical.casefold(),
                {
                    "canonical": canonical,
                    "type": "Dataset",
                    "aliases": aliases,
                },
            )
    tasks = (gazetteers / "pwc-tasks" / "all_tasks.txt").read_text(encoding="utf-8").splitlines()
    for raw in tasks:
        name = raw.strip().strip('"').strip()
        if usable_task_name(name) and name.casefold() not in entries:
            canonical = name[0].upper() + name[1:]
            entries[name.casefold()] = {"canonical": canonical, "type": "Task", "aliases": []}
    return sorted(entries.values(), key=lambda e: (str(e["type"]), str(e["canonical"])))


def university_entries(gazetteers: Path) -> list[dict[str, object]]:
    path = gazetteers / "orgs-universities" / "world_universities_and_domains.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    names = sorted({r["name"].strip() for r in records if len(r["name"].split()) >= 2})
    return [{"canonical": n, "type": "Organization", "aliases": []} for n in names]


def write(path: Path, entries: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for entry in entries:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"wrote {len(entries)} entries to {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gazetteers", type=Path, default=ROOT.parent / "shared" / "data" / "gazetteers"
    )
    args = parser.parse_args()
    write(DATA / "catalog_pwc.jsonl", pwc_entries(args.gazetteers))
    write(DATA / "catalog_universities.jsonl", university_entries(args.gazetteers))


if __name__ == "__main__":
    main()
