"""Copy a trained pipeline (``spacy train``'s model-best) into kg and describe it in meta.json.

python training/ship.py training/output/model-best kg/data/ner
"""

import argparse
import json
import shutil
from pathlib import Path

import spacy

import kg.extract  # noqa: F401  (registers kg_ner)

__all__ = ["META", "main", "ship"]

META = {
    "name": "kg_ner",
    "version": "0.1.0",
    "description": (
        "kg's open-vocabulary NER for ML paper abstracts: MODEL, METHOD, TASK, DATASET, "
        "METRIC. "
        "A linear-chain CRF over hashed word features (kg's kg_ner component) on "
        "spacy.blank('en') tokens, no vectors. Retrain with training/train.sh."
    ),
    "license": "Apache-2.0 (model weights); trained on the data listed in sources",
    "sources": [
        {
            "name": "SciERC (train split, 90%)",
            "url": "http://nlp.cs.washington.edu/sciIE/",
            "license": "research use; cite Luan et al. 2018 (EMNLP)",
        },
        {
            "name": "SciREX (train split, front and metric/dataset sentences)",
            "url": "https://github.com/allenai/SciREX",
            "license": "Apache-2.0",
        },
        {
            "name": "ner_dataset_recognition sentences (not held out, 90%)",
            "url": "https://github.com/xjaeh/ner_dataset_recognition",
            "license": "none stated; used for training only, sentences not shipped",
        },
        {
            "name": "GSAP-NER paragraphs (the 30 train publications of kg's split)",
            "url": "https://github.com/ottowg/gsap-ner",
            "license": "none stated; used for training only, text not shipped",
        },
    ],
}
PIPELINE = ["kg_ner"]
LABELS = {"DATASET", "METHOD", "METRIC", "MODEL", "TASK"}


def ship(source: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``source`` whose meta.json describes kg's model.

    Refuses a pipeline that is not exactly kg_ner with kg's five labels. The
    string store is cut back to a blank English pipeline's strings plus the labels:
    ``spacy train`` leaves every word of the training texts there (400 kB), the hashed
    features don't need them (predictions are unchanged), and some of those texts have
    no licence to be redistributed.
    """
    nlp = spacy.load(source)
    labels = set(nlp.get_pipe("kg_ner").labels) if "kg_ner" in nlp.pipe_names else set()
    if nlp.pipe_names != PIPELINE or labels != LABELS:
        raise SystemExit(f"{source}: expected {PIPELINE} with {sorted(LABELS)}")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    strings = set(spacy.blank("en").vocab.strings) | LABELS
    (target / "vocab" / "strings.json").write_text(
        json.dumps(sorted(strings), ensure_ascii=False), encoding="utf-8"
    )
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(META)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Parse the two folders and ship."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="e.g. training/output/model-best")
    parser.add_argument("target", type=Path, help="e.g. kg/data/ner")
    args = parser.parse_args(argv)
    ship(args.source, args.target)


if __name__ == "__main__":
    main()
