"""Build distributional word clusters for kg's entity tagger: ``kg/data/clusters.npz``.

The tagger (a linear-chain CRF over hashed word features) uses each token's cluster ids as
features, like Brown clusters in classic NER: a word it never saw in its small labelled
training data still shares a feature with the words it did see in the same cluster.

Steps:

1. **Text.** Titles and abstracts of the conference papers in
   ``corpus/paperlists/*/*.json.gz``, the 808 HF Daily Papers records in
   ``corpus/hf-daily-papers/papers/`` (title + ``abstract``, which already starts with the HF
   summary sentence; ``summary_en`` when the abstract is empty) and the 306 SciREX training
   papers (``gold/scirex-train``, words joined by spaces, section markers removed). One
   document per paper, exact duplicates dropped, read in sorted file order. Tokenized with
   ``spacy.blank("en")``'s tokenizer and lowercased (``token.lower``); whitespace tokens dropped.
2. **Decontamination.** No evaluation text may shape the clusters. Every word 8-gram
   (lowercased spaCy tokens, punctuation and whitespace tokens skipped, so "-LRB-" versus "("
   or "state-of-the-art" versus "state of the art" make no difference) of the SciERC dev
   abstracts and of the held-out dataset-mention sentences (``kg.evaluate.splits.is_held_out``) is
   hashed; a corpus document that shares any of them is dropped whole.
3. **Vectors.** Word-context counts within +-2 tokens (not across documents) for the
   ``--vocab`` most frequent words with at least ``--min-count`` occurrences (defaults 50,000
   and 4: about 33k words; at 5, 28k words cluster a little more cleanly but cover fewer rare
   names), against the ``--contexts`` most frequent words; positive PMI with context
   distribution smoothing (alpha 0.75); truncated SVD to ``--dims`` dimensions, rows
   ``U * S**0.5``, L2-normalised.
4. **Clusters.** k-means (``random_state=0``) with 64, 256 and 1024 clusters. Cluster ids are
   renumbered in order of each cluster's most frequent word, so id 0 holds the most frequent
   word (``the``), whatever order k-means found them in.

Output (``np.savez_compressed``): ``keys``, the uint64 spaCy hashes of the lowercased words
(``spacy.strings.get_string_id(word.lower())`` == ``token.lower``), sorted and unique; ``c64``,
``c256``, ``c1024``, uint16 cluster ids aligned with ``keys``.

Licence: the corpus texts have no licence that allows shipping them (paperlists and HF Daily
Papers state none; SciREX is Apache-2.0). The file therefore holds no text: only 64-bit hashes
of single words and their cluster ids, statistics from which no document, sentence or phrase
can be rebuilt (a hash can at most be matched against a word list to name one word). Nothing
else is written; the words themselves are only printed, for the sanity check.

Deterministic: sorted inputs, fixed seeds, a fixed thread count (``--threads``). Runs in a few
minutes on two cores; needs scikit-learn (``pip install -e '.[train]'``)::

    .venv/bin/python training/clusters.py
"""

import argparse
import csv
import gzip
import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import spacy
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER
from spacy.language import Language
from threadpoolctl import threadpool_limits

from kg.evaluate.splits import is_held_out

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "kg" / "data" / "clusters.npz"

SIZES = (64, 256, 1024)
NGRAM = 8
WINDOW = 2
ALPHA = 0.75
SEED = 0
# SciREX marks section starts inside the text: "section : Introduction Recent ..."
SCIREX_HEADERS = {"document", "section", "subsection", "subsubsection", "paragraph"}
# Penn Treebank escapes in SciERC tokens.
PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
# Words whose c256 clusters the sanity check prints (the first 10 distinct clusters).
PROBES = (
    "imagenet cifar-10 bert lstm adam accuracy translation segmentation gaussian github "
    "adversarial university regret robot"
)


def log(start: float, message: str) -> None:
    print(f"[{time.perf_counter() - start:6.1f}s] {message}", flush=True)


# --- text -------------------------------------------------------------------------------------


def paperlist_texts(root: Path) -> Iterator[str]:
    for path in sorted(root.glob("*/*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as file:
            for paper in json.load(file):
                yield _join(paper.get("title"), paper.get("abstract"))


def daily_paper_texts(root: Path) -> Iterator[str]:
    for path in sorted(root.glob("papers/*/*.json")):
        paper = json.loads(path.read_text(encoding="utf-8"))
        yield _join(paper.get("title"), paper.get("abstract") or paper.get("summary_en"))


def scirex_texts(root: Path) -> Iterator[str]:
    for path in sorted(root.glob("train_docs/*.json")):
        paper = json.loads(path.read_text(encoding="utf-8"))
        words = paper["words"]
        sentences = []
        for start, end in paper["sentences"]:
            if end - start > 1 and words[start] in SCIREX_HEADERS and words[start + 1] == ":":
                start += 2
            sentences.append(" ".join(words[start:end]))
        yield _join(*sentences)


def _join(*parts: str | None) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def corpus(data: Path) -> tuple[list[str], list[str]]:
    """Return ``(texts, sources)``: one text per paper, exact duplicates dropped."""
    texts: list[str] = []
    sources: list[str] = []
    seen: set[bytes] = set()
    readers = [
        ("paperlists", paperlist_texts(data / "corpus" / "paperlists")),
        ("hf-daily-papers", daily_paper_texts(data / "corpus" / "hf-daily-papers")),
        ("scirex-train", scirex_texts(data / "gold" / "scirex-train")),
    ]
    for source, reader in readers:
        for text in reader:
            digest = hashlib.sha1(text.encode("utf-8")).digest()
            if text and digest not in seen:
                seen.add(digest)
                texts.append(text)
                sources.append(source)
    return texts, sources


def evaluation_texts(data: Path) -> list[str]:
    """SciERC dev abstracts and the held-out dataset-mention sentences."""
    texts = []
    with (data / "gold" / "scierc" / "dev.json").open(encoding="utf-8") as file:
        for line in file:
            record = json.loads(line)
            words = [PTB.get(word, word) for sentence in record["sentences"] for word in sentence]
            texts.append(" ".join(words))

    path = data / "gold" / "dataset-mentions" / "Train_set_sentences.csv"
    with path.open(encoding="utf-8", newline="") as file:
        texts.extend(row["text"] for row in csv.DictReader(file) if is_held_out(row["text"]))
    return texts


# --- decontamination --------------------------------------------------------------------------


def tokenize(nlp: Language, texts: list[str]) -> Iterator[np.ndarray]:
    """Yield per text a ``(n, 3)`` uint64 array of LOWER, IS_PUNCT, IS_SPACE."""
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        yield doc.to_array([LOWER, IS_PUNCT, IS_SPACE]).reshape(-1, 3)


def ngram_hashes(tokens: np.ndarray, n: int = NGRAM) -> np.ndarray:
    """Hashes of the word n-grams of ``tokens`` (punctuation and whitespace skipped)."""
    words = tokens[(tokens[:, 1] == 0) & (tokens[:, 2] == 0), 0]
    if len(words) < n:
        return np.empty(0, dtype=np.uint64)
    hashes = np.zeros(len(words) - n + 1, dtype=np.uint64)
    for k in range(n):  # polynomial hash, wrapping modulo 2**64
        hashes = hashes * np.uint64(1_000_003) + words[k : len(words) - n + 1 + k]
    return hashes


# --- vectors and clusters ---------------------------------------------------------------------


def cooccurrences(ids: np.ndarray, rows: int, cols: int) -> sparse.csr_matrix:
    """Counts of (word, context) pairs within ``WINDOW`` positions; ``-1`` ids never pair."""
    counts = sparse.csr_matrix((rows, cols), dtype=np.float64)
    for offset in range(1, WINDOW + 1):
        left, right = ids[:-offset], ids[offset:]
        for word, context in ((left, right), (right, left)):
            keep = (word >= 0) & (word < rows) & (context >= 0) & (context < cols)
            pairs = sparse.coo_matrix(
                (np.ones(int(keep.sum())), (word[keep], context[keep])), shape=(rows, cols)
            )
            counts = counts + pairs.tocsr()
    return counts


def ppmi(counts: sparse.csr_matrix, alpha: float = ALPHA) -> sparse.csr_matrix:
    """Positive PMI with the context distribution raised to ``alpha``."""
    counts = counts.tocoo()
    word_totals = np.asarray(counts.sum(axis=1)).ravel()
    context_p = np.asarray(counts.sum(axis=0)).ravel() ** alpha
    context_p /= context_p.sum()
    pmi = np.log(counts.data / (word_totals[counts.row] * context_p[counts.col]))
    keep = pmi > 0
    return sparse.csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=counts.shape)


def renumber(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters by first appearance (rows are in frequency order)."""
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)
    mapping = np.empty(len(order), dtype=np.int64)
    mapping[np.unique(labels)[order]] = np.arange(len(order))
    return mapping[labels]


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Build word clusters (hashed words -> k-means ids) for kg's entity tagger.",
        epilog="See the module docstring for the method, the decontamination and the licence.",
    )
    parser.add_argument("--data", type=Path, default=DATA, help="shared data folder")
    parser.add_argument("--out", type=Path, default=OUT, help="output .npz (default: %(default)s)")
    parser.add_argument("--vocab", type=int, default=50_000, help="max words (default: 50000)")
    parser.add_argument("--min-count", type=int, default=4, help="min word count (default: 4)")
    parser.add_argument("--contexts", type=int, default=20_000, help="context words (20000)")
    parser.add_argument("--dims", type=int, default=100, help="SVD dimensions (default: 100)")
    parser.add_argument("--threads", type=int, default=2, help="BLAS/OpenMP threads (2)")
    parser.add_argument("--probes", default=PROBES, help="words whose c256 cluster to print")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    with threadpool_limits(limits=args.threads):
        build(args, start)
    log(start, "done")


def build(args: argparse.Namespace, start: float) -> None:
    nlp = spacy.blank("en")

    texts, sources = corpus(args.data)
    log(start, f"read {len(texts):,} documents: {dict(sorted(Counter(sources).items()))}")

    evaluation = evaluation_texts(args.data)
    grams = [ngram_hashes(tokens) for tokens in tokenize(nlp, evaluation)]
    banned = set(np.concatenate(grams).tolist())
    short = sum(len(hashes) == 0 for hashes in grams)
    log(
        start,
        f"{len(banned):,} banned {NGRAM}-grams from {len(evaluation):,} evaluation texts "
        f"({short} shorter than {NGRAM} words)",
    )

    kept: list[np.ndarray] = []
    dropped: Counter[str] = Counter()
    n_tokens = 0
    for tokens, source in zip(tokenize(nlp, texts), sources, strict=True):
        if not banned.isdisjoint(ngram_hashes(tokens).tolist()):
            dropped[source] += 1
            continue
        words = tokens[tokens[:, 2] == 0, 0]
        n_tokens += len(words)
        kept.append(words)
    log(
        start,
        f"tokenized; dropped {sum(dropped.values()):,} contaminated documents "
        f"{dict(sorted(dropped.items()))}; kept {len(kept):,} documents, {n_tokens:,} tokens",
    )

    # Dense ids by frequency rank (ties broken by hash); -1 separates documents.
    keys, inverse, counts = np.unique(np.concatenate(kept), return_inverse=True, return_counts=True)
    order = np.lexsort((keys, -counts))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    n_words = int(min(args.vocab, (counts >= args.min_count).sum()))
    n_contexts = min(args.contexts, n_words)
    ids = rank[inverse]
    bounds = np.cumsum([len(words) for words in kept])[:-1]
    ids = np.insert(ids, np.repeat(bounds, WINDOW), -1)
    log(
        start,
        f"{len(keys):,} distinct words; vocabulary {n_words:,} (count >= "
        f"{counts[order[n_words - 1]]}), contexts {n_contexts:,}",
    )

    matrix = ppmi(cooccurrences(ids, n_words, n_contexts))
    log(start, f"PPMI matrix {matrix.shape}, {matrix.nnz:,} non-zeros")

    svd = TruncatedSVD(n_components=args.dims, algorithm="randomized", random_state=SEED)
    vectors = svd.fit_transform(matrix)  # U * S
    vectors /= np.sqrt(svd.singular_values_)  # U * S**0.5
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    vectors = vectors.astype(np.float32)
    log(start, f"SVD to {args.dims} dimensions")

    clusters = {}
    for size in SIZES:
        kmeans = KMeans(n_clusters=size, n_init=1, max_iter=100, random_state=SEED)
        clusters[size] = renumber(kmeans.fit_predict(vectors)).astype(np.uint16)
        log(start, f"k-means {size}: inertia {kmeans.inertia_:.1f}, {kmeans.n_iter_} iterations")

    words = keys[order[:n_words]]  # row i of vectors is words[i]
    sort = np.argsort(words)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        keys=words[sort],
        **{f"c{size}": clusters[size][sort] for size in SIZES},
    )
    log(start, f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {n_words:,} words)")

    sanity_check(nlp, words, clusters[256], args.probes.split())


def sanity_check(
    nlp: Language, words: np.ndarray, labels: np.ndarray, probes: list[str], shown: int = 10
) -> None:
    """Print up to ``shown`` distinct c256 clusters of probe words: their most frequent members."""
    row = {int(key): i for i, key in enumerate(words)}
    print(f"\nc256 clusters of probe words (most frequent of {len(words):,} words first):")
    done: set[int] = set()
    for probe in probes:
        i = row.get(spacy.strings.get_string_id(probe.lower()))
        if i is None:
            print(f"  {probe}: not in the vocabulary")
            continue
        label = int(labels[i])
        if label in done:
            continue
        done.add(label)
        members = np.flatnonzero(labels == label)
        sample = ", ".join(nlp.vocab.strings[int(words[j])] for j in members[:15])
        print(f"  {probe!r} -> c256={label} ({len(members)} words): {sample}")
        if len(done) == shown:
            break


if __name__ == "__main__":
    main()
