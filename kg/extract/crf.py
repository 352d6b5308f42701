"""Linear-chain CRF arithmetic over BILUO tags, batched over docs with numpy.

The tags are ``O`` followed by ``B-``, ``I-``, ``L-``, ``U-`` for each label, as in
spaCy's ``ner``. A tag sequence must spell whole entities, so after ``O``, ``L-X``
or ``U-X`` (a *closed* tag) only ``O``, ``B-Y`` or ``U-Y`` may come (an *opening*
tag), and after ``B-X`` or ``I-X`` only ``I-X`` or ``L-X``. Every other transition
scores :data:`NEG`.

The transition scores are factored to keep decoding cheap: from a closed tag ``c``
to an opening tag ``o`` the score is ``leave[c] + enter[o]``; inside an entity each
of the four moves ``B->I``, ``B->L``, ``I->I``, ``I->L`` has its own score per label.
A Viterbi step then costs a few operations per tag, not one per pair of tags.
"""

from collections.abc import Sequence

import numpy as np

__all__ = ["NEG", "Tagset", "crf_gradients", "viterbi"]

NEG = -1e4  # the score of a forbidden transition or tag


class Tagset:
    """The BILUO tags of some labels, with the index arrays the CRF works with.

    >>> tags = Tagset(["TASK"])
    >>> tags.names
    ['O', 'B-TASK', 'I-TASK', 'L-TASK', 'U-TASK']
    >>> tags.closed.tolist(), tags.opening.tolist()
    ([0, 3, 4], [0, 1, 4])
    """

    def __init__(self, labels: Sequence[str]):
        self.labels = list(labels)
        self.names = ["O"] + [f"{p}-{label}" for label in self.labels for p in "BILU"]
        n = len(self.labels)
        self.begin, self.inside, self.last, self.unit = (
            np.arange(n, dtype=np.intp) * 4 + offset for offset in (1, 2, 3, 4)
        )
        self.closed = np.array([0, *np.stack([self.last, self.unit], 1).ravel()], np.intp)
        self.opening = np.array([0, *np.stack([self.begin, self.unit], 1).ravel()], np.intp)
        # The order the decoder keeps the tags in: B*, O, U*, L*, I* (see _forward_pass).
        self.decoding_order = np.concatenate(
            [self.begin, [0], self.unit, self.last, self.inside]
        ).astype(np.intp)
        k = len(self.names)
        self.first_mask = np.full(k, NEG, dtype=np.float32)
        self.first_mask[self.opening] = 0.0
        self.last_mask = np.full(k, NEG, dtype=np.float32)
        self.last_mask[self.closed] = 0.0

    def __len__(self) -> int:
        return len(self.names)

    def transitions(self, leave: np.ndarray, enter: np.ndarray, inner: np.ndarray) -> np.ndarray:
        """The full ``(from, to)`` transition scores: factored, inner, or :data:`NEG`."""
        k = len(self)
        full = np.full((k, k), NEG, dtype=np.float64)
        full[np.ix_(self.closed, self.opening)] = (
            leave[self.closed][:, None] + enter[self.opening][None, :]
        )
        for column, (a, b) in enumerate(self._inner_moves()):
            full[a, b] = inner[:, column]
        return full

    def split(self, d_full: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The gradients of ``leave``, ``enter`` and ``inner`` from that of the full matrix."""
        k = len(self)
        d_leave, d_enter = np.zeros(k, np.float32), np.zeros(k, np.float32)
        block = d_full[np.ix_(self.closed, self.opening)]
        d_leave[self.closed] = block.sum(axis=1)
        d_enter[self.opening] = block.sum(axis=0)
        d_inner = np.stack([d_full[a, b] for a, b in self._inner_moves()], 1)
        return d_leave, d_enter, d_inner.astype(np.float32)

    def spans(self, tags: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the entities of a decoded tag sequence (one doc or several end to end)
        as arrays of token starts, token ends and label indices.

        >>> [a.tolist() for a in Tagset(["X", "Y"]).spans(np.array([0, 1, 2, 3, 8, 0]))]
        [[1, 4], [4, 5], [0, 1]]
        """
        starts = np.flatnonzero(np.isin(tags, np.concatenate([self.begin, self.unit])))
        ends = np.flatnonzero(np.isin(tags, np.concatenate([self.last, self.unit]))) + 1
        return starts, ends, (tags[starts] - 1) // 4  # BILUO pairs starts and ends up

    def _inner_moves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The four moves inside an entity, in the column order of ``inner``."""
        return [
            (self.begin, self.inside),
            (self.begin, self.last),
            (self.inside, self.inside),
            (self.inside, self.last),
        ]


def viterbi(
    emissions: Sequence[np.ndarray],
    tags: Tagset,
    scores: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> list[np.ndarray]:
    """Return the best tag sequence of each doc, given ``(tokens, tags)`` emission scores.

    ``scores`` are the learned ``leave``, ``enter``, ``inner``, ``first`` and
    ``last`` scores. The docs are sorted longest first and advance one token
    per step together; a doc that has ended drops off the end of the batch, so
    each step works on just the docs still going.

    >>> tags = Tagset(["X"])
    >>> zero = np.zeros(5, np.float32)
    >>> scores = (zero, zero, np.zeros((1, 4)), zero, zero)
    >>> em = np.zeros((3, 5), np.float32); em[1, 4] = 1.0  # U-X in the middle
    >>> [t.tolist() for t in viterbi([em, em[:0]], tags, scores)]
    [[0, 4, 0], []]
    """
    leave, enter, inner, first, last = scores
    lengths = np.array([len(e) for e in emissions], dtype=np.intp)
    order = np.argsort(-lengths, kind="stable")
    n = lengths[order]
    starts = np.concatenate([[0], np.cumsum(lengths)])
    flat = np.concatenate(emissions) if len(emissions) else np.zeros((0, len(tags)))
    out = np.zeros(len(flat), dtype=np.intp)
    busy = int((n > 0).sum())
    if busy:
        offsets = starts[order[:busy]]
        first = first + tags.first_mask
        last = last + tags.last_mask
        active, back, best_last = _forward_pass(
            flat, offsets, n[:busy], tags, (leave, enter, inner, first, last)
        )
        _backtrack(active, back, best_last, offsets, out)
        out = tags.decoding_order[out]
    return [out[starts[i] : starts[i + 1]] for i in range(len(emissions))]


def _forward_pass(
    flat: np.ndarray,
    offsets: np.ndarray,
    n: np.ndarray,
    tags: Tagset,
    scores: tuple[np.ndarray, ...],
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """Run Viterbi forward over docs sorted longest first.

    Returns how many docs are live at each token (a prefix of them), the back
    pointers of each step after the first, and each doc's best last tag.

    Inside, the tags are reordered ``B*, O, U*, L*, I*`` (``Tagset.decoding_order``):
    the opening tags (``B*, O, U*``) and the closed ones (``O, U*, L*``) are then
    slices, and a step costs a few whole-array operations on views. On a tie the
    earlier tag wins: ``O`` over an entity.
    """
    order = tags.decoding_order
    m = len(tags.labels)
    opening, closed = slice(0, 2 * m + 1), slice(m, 3 * m + 1)
    begin, end, inside = slice(0, m), slice(2 * m + 1, 3 * m + 1), slice(3 * m + 1, 4 * m + 1)
    leave, enter, inner, first, last = (np.asarray(x, np.float32) for x in scores)
    leave_closed, enter_opening = leave[order][closed], enter[order][opening]
    b_i, b_l, i_i, i_l = (inner[:, column] for column in range(4))
    flat = np.ascontiguousarray(flat[:, order], dtype=np.float32)
    active = np.searchsorted(-n, -np.arange(int(n[0])), side="left")
    k = len(tags)
    small = np.int8 if k < 128 else np.intp
    to_begin = np.arange(0, m, dtype=small)  # back pointers into I* and L* tags
    to_inside = np.arange(3 * m + 1, 4 * m + 1, dtype=small)
    score = flat[offsets] + first[order]
    final = np.empty_like(score)
    back: list[np.ndarray] = []
    for t in range(len(active)):
        live = int(active[t])
        if t:
            score = score[:live]
            step = np.empty((live, k), dtype=small)
            from_closed = score[:, closed] + leave_closed
            best = from_closed.argmax(axis=1)
            new = np.empty_like(score)
            new[:, opening] = from_closed[np.arange(live), best][:, None] + enter_opening
            step[:, opening] = (best + m).astype(small)[:, None]
            for to, from_begin, from_inside in ((inside, b_i, i_i), (end, b_l, i_l)):
                via_begin = score[:, begin] + from_begin
                via_inside = score[:, inside] + from_inside
                new[:, to] = np.maximum(via_begin, via_inside)
                step[:, to] = np.where(via_begin >= via_inside, to_begin, to_inside)
            new += flat[offsets[:live] + t]
            score = new
            back.append(step)
        after = int(active[t + 1]) if t + 1 < len(active) else 0
        final[after:live] = score[after:live]  # docs whose last token is t
    return active, back, (final + last[order]).argmax(axis=1)


def _backtrack(
    active: np.ndarray,
    back: list[np.ndarray],
    best_last: np.ndarray,
    offsets: np.ndarray,
    out: np.ndarray,
) -> None:
    """Follow the back pointers from each doc's best last tag, writing tags into ``out``
    (in the decoding order: the caller maps them back)."""
    current = best_last[: active[-1]]
    for t in range(len(active) - 1, -1, -1):
        out[offsets[: len(current)] + t] = current
        if t:
            moved = back[t - 1][np.arange(len(current)), current]
            current = np.concatenate([moved, best_last[len(current) : active[t - 1]]])


def crf_gradients(
    emissions: Sequence[np.ndarray],
    gold: Sequence[np.ndarray],
    trans: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
) -> tuple[float, list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Negative log-likelihood of the gold tags and its gradients.

    ``gold`` holds a tag index per token, or -1 where the tag is unknown (partial
    annotation): the likelihood then sums over every tag there. ``trans``,
    ``first`` and ``last`` are the full scores, constraints included. Returns the
    loss, the gradient of each doc's emissions, and of the three scores. A doc
    whose gold tags are impossible is skipped.
    """
    k = len(first)
    keep = [i for i, e in enumerate(emissions) if len(e)]
    d_em = [np.zeros_like(e) for e in emissions]
    d_trans, d_first, d_last = np.zeros_like(trans), np.zeros_like(first), np.zeros_like(last)
    if not keep:
        return 0.0, d_em, d_trans, d_first, d_last
    em = _padded([emissions[i] for i in keep])
    b, t_max, _ = em.shape
    n = np.array([len(emissions[i]) for i in keep])
    allowed = np.zeros((b, t_max, k), dtype=np.float32)
    for row, i in enumerate(keep):
        tags = gold[i]
        known = tags >= 0
        allowed[row, : len(tags)][known] = NEG
        allowed[row, np.flatnonzero(known), tags[known]] = 0.0
    # Rows 0..b-1 are free, rows b..2b-1 constrained to the gold tags.
    x = np.concatenate([em, em + allowed])
    n2 = np.concatenate([n, n])
    alpha = np.empty((2 * b, t_max, k), dtype=np.float64)
    alpha[:, 0] = first + x[:, 0]
    for t in range(1, t_max):
        moved = _logsumexp(alpha[:, t - 1, :, None] + trans[None], axis=1) + x[:, t]
        alpha[:, t] = np.where((t < n2)[:, None], moved, alpha[:, t - 1])
    rows = np.arange(2 * b)
    log_z = _logsumexp(alpha[rows, n2 - 1] + last, axis=1)
    beta = np.empty_like(alpha)
    beta[:, t_max - 1] = last
    for t in range(t_max - 2, -1, -1):
        moved = _logsumexp(trans[None] + (x[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
        beta[:, t] = np.where((t < n2 - 1)[:, None], moved, last)
    marginal = np.exp(alpha + beta - log_z[:, None, None])
    pairs = np.zeros((2 * b, k, k))
    for t in range(1, t_max):
        joint = alpha[:, t - 1, :, None] + trans[None] + (x[:, t] + beta[:, t])[:, None, :]
        step = np.exp(joint - log_z[:, None, None])
        pairs += np.where((t < n2)[:, None, None], step, 0.0)
    possible = log_z[b:] > NEG / 2  # gold tags that BILUO allows
    sign = np.concatenate([possible, possible]) * np.repeat([1.0, -1.0], b)
    loss = float(((log_z[:b] - log_z[b:]) * possible).sum())
    for row, i in enumerate(keep):
        if possible[row]:
            m = marginal[row, : n[row]] - marginal[b + row, : n[row]]
            d_em[i] = m.astype(emissions[i].dtype)
    d_trans = (pairs * sign[:, None, None]).sum(axis=0)
    d_first = (marginal[:, 0] * sign[:, None]).sum(axis=0)
    d_last = (marginal[rows, n2 - 1] * sign[:, None]).sum(axis=0)
    return loss, d_em, d_trans, d_first, d_last


def _padded(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Stack ``(tokens, tags)`` arrays into ``(docs, longest, tags)``, zero-padded."""
    out = np.zeros((len(arrays), max(len(a) for a in arrays), arrays[0].shape[1]), np.float64)
    for row, a in enumerate(arrays):
        out[row, : len(a)] = a
    return out


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    total: np.ndarray = np.squeeze(top, axis) + np.log(np.exp(x - top).sum(axis=axis))
    return total
