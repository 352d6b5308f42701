#!/usr/bin/env bash
# Retrain kg's NER from the shared gold data and ship it to kg/data/ner, in one command:
# convert the corpora, build the word clusters if kg/data/clusters.npz is missing, train
# the kg_ner tagger with a fixed seed and a bounded number of steps, copy model-best,
# then score it and measure its speed.
#
#   training/train.sh                                        # the shipped model
#   SHIP=/tmp/ner96 training/train.sh --components.tok2vec.model.width 96   # try a size
#
# Extra arguments go to `spacy train` as config overrides. Environment: PYTHON (default
# .venv/bin/python), CORPUS (convert.py's output, default training/corpus), CONVERT
# (options of convert.py, e.g. "--gsap-copies 2"), OUT (the training run, default
# training/output), SHIP (where model-best goes, default kg/data/ner).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
CORPUS=${CORPUS:-training/corpus}
OUT=${OUT:-training/output}
SHIP=${SHIP:-kg/data/ner}
# One process on one thread: the machine is shared, and the run repeats exactly.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 PYTHONHASHSEED=0

# shellcheck disable=SC2086  # CONVERT is a list of options
"$PY" training/convert.py --out "$CORPUS" ${CONVERT:-}
# The word clusters are features of the tagger: rebuild them with
# `python training/clusters.py` (about 90 s); a changed file needs a retrained model.
[ -f kg/data/clusters.npz ] || "$PY" training/clusters.py
rm -rf "$OUT"
start=$(date +%s)
"$PY" -m spacy train training/config.cfg --code training/code.py --output "$OUT" \
    --paths.train "$CORPUS/train.spacy" --paths.dev "$CORPUS/dev.spacy" \
    --system.seed 0 "$@"
echo "trained in $(( $(date +%s) - start )) s" >&2

"$PY" training/ship.py "$OUT/model-best" "$SHIP"
"$PY" training/evaluate_ner.py "$SHIP" --corpus "$CORPUS"
"$PY" training/speed.py "$SHIP"
du -sh "$SHIP"
