"""Connectionist temporal classification: `ctc_loss` and `ctc_decode`
(Graves et al., 2006, https://www.cs.toronto.edu/~graves/icml_2006.pdf).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from lamina.errors import format_shape
from lamina.errors import invalid_argument
from lamina.ops._convert import as_dtype
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _float_logits(name: str, x: TensorLike) -> torch.Tensor:
    """Logits of rank 3 in at least float32 (as `tf.nn.ctc_loss` does)."""
    x = to_tensor(x)
    if x.ndim != 3:
        raise ValueError(
            f"Invalid value for argument of ops.{name}: expected logits of "
            "shape (batch_size, max_length, num_classes). Received: "
            f"shape={format_shape(x.shape)}"
        )
    return as_dtype(x, to_torch_dtype(result_type(x.dtype, "float32")))


def _same_batch(name, a_name, a, b_name, b) -> None:
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"ops.{name}: arguments `{a_name}` and `{b_name}` must have the "
            f"same first dimension. Received shapes: "
            f"{format_shape(a.shape)} and {format_shape(b.shape)}"
        )


@op
def ctc_loss(
    target: TensorLike,
    output: TensorLike,
    target_length: TensorLike,
    output_length: TensorLike,
    mask_index: int = 0,
) -> torch.Tensor:
    """CTC loss of each sample (negative log-likelihood of its labels).

    Args:
        target: Integer labels, `(batch_size, max_label_length)`.
        output: Logits, `(batch_size, max_length, num_classes)`; a softmax
            is applied over the classes.
        target_length: `(batch_size,)` label lengths.
        output_length: `(batch_size,)` logit sequence lengths.
        mask_index: The blank class. Defaults to `0`.

    Returns:
        `(batch_size,)` losses, in at least `float32`.

    Example:

    >>> from lamina import ops
    >>> logits = ops.zeros((1, 2, 2))
    >>> round(ops.ctc_loss([[1]], logits, [1], [2]).item(), 4)
    0.2877
    """
    output = _float_logits("ctc_loss", output)
    target = to_tensor(target, device=output.device)
    target_length = to_tensor(target_length, device=output.device)
    output_length = to_tensor(output_length, device=output.device)
    _same_batch("ctc_loss", "target", target, "output", output)
    _same_batch("ctc_loss", "target_length", target_length, "target", target)
    _same_batch("ctc_loss", "output_length", output_length, "output", output)
    log_probs = F.log_softmax(output.transpose(0, 1), dim=-1)
    return F.ctc_loss(
        log_probs,
        target.long(),
        output_length.long(),
        target_length.long(),
        blank=mask_index,
        reduction="none",
    )


def _greedy(inputs, lengths, merge_repeated, mask_index):
    steps = inputs.shape[1]
    scores, indices = torch.max(inputs, dim=-1)
    indices = indices.to(torch.int32)
    beyond = torch.arange(steps, device=inputs.device)[None] >= lengths[:, None]
    indices = torch.where(beyond, mask_index, indices)
    scores = torch.where(beyond, 0.0, scores)
    if merge_repeated:
        repeat = F.pad(indices[:, 1:] == indices[:, :-1], (1, 0))
        indices = torch.where(repeat, mask_index, indices)
    blank = indices == mask_index
    indices = torch.where(blank, -1, indices)
    # Move the kept labels to the front, in order (a stable sort of the
    # blank flags).
    order = torch.argsort(blank.to(torch.int8), dim=-1, stable=True)
    indices = torch.take_along_dim(indices, order, dim=-1)
    return indices[None], -torch.sum(scores, dim=1, keepdim=True)


def _logaddexp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    high = max(a, b)
    return high + math.log1p(math.exp(-abs(a - b)))


def _beam_step(beams: dict, logp: list, blank: int, beam_width: int) -> dict:
    """One time step: extend every prefix by every class, merge equal
    prefixes, keep the `beam_width` best. `beams` maps a prefix to its
    (ends-in-label, ends-in-blank) log-probabilities."""
    grown: dict = {}

    def add(prefix, emit, score):
        old = grown.get(prefix, (-math.inf, -math.inf))
        grown[prefix] = (
            (_logaddexp(old[0], score), old[1])
            if emit
            else (old[0], _logaddexp(old[1], score))
        )

    for prefix, (emit, masked) in beams.items():
        for c, p in enumerate(logp):
            for score, after_blank in ((emit, False), (masked, True)):
                if score == -math.inf:
                    continue
                if c == blank:
                    add(prefix, False, score + p)
                elif prefix and prefix[-1] == c and not after_blank:
                    add(prefix, True, score + p)  # a repeat merges
                else:
                    add(prefix + (c,), True, score + p)
    ranked = sorted(grown.items(), key=lambda kv: -_logaddexp(*kv[1]))
    return dict(ranked[:beam_width])


def _beam_search(inputs, lengths, beam_width, top_paths, mask_index):
    logp = F.log_softmax(inputs, dim=-1).detach().cpu().double()
    batch, steps, classes = inputs.shape
    paths = torch.full((top_paths, batch, steps), -1, dtype=torch.int32)
    scores = torch.full((batch, top_paths), -math.inf, dtype=torch.float64)
    for b in range(batch):
        rows = logp[b].tolist()
        beams: dict = {}
        first = sorted(range(classes), key=lambda c: -rows[0][c])
        for c in first[: min(classes, beam_width)]:
            emit = c != mask_index
            beams[(c,) if emit else ()] = (
                (rows[0][c], -math.inf) if emit else (-math.inf, rows[0][c])
            )
        for t in range(1, int(lengths[b])):
            beams = _beam_step(beams, rows[t], mask_index, beam_width)
        best = sorted(beams.items(), key=lambda kv: -_logaddexp(*kv[1]))
        for k, (prefix, pair) in enumerate(best[:top_paths]):
            paths[k, b, : len(prefix)] = torch.tensor(prefix, dtype=torch.int32)
            scores[b, k] = _logaddexp(*pair)
    return (
        paths.to(inputs.device),
        scores.to(device=inputs.device, dtype=inputs.dtype),
    )


@op
def ctc_decode(
    inputs: TensorLike,
    sequence_lengths: TensorLike,
    strategy: str = "greedy",
    beam_width: int = 100,
    top_paths: int = 1,
    merge_repeated: bool = True,
    mask_index: int = 0,
) -> tuple:
    """Decode CTC outputs into label sequences.

    Args:
        inputs: Logits, `(batch_size, max_length, num_classes)`.
        sequence_lengths: `(batch_size,)` lengths of the sequences.
        strategy: `"greedy"` (best class per step) or `"beam_search"`.
        beam_width: Beams kept by beam search. Defaults to `100`.
        top_paths: Paths returned by beam search. Defaults to `1`.
        merge_repeated: Greedy only: merge repeated labels. Defaults to
            `True`.
        mask_index: The blank class. Defaults to `0`.

    Returns:
        `(paths, scores)`: `paths` is `(top_paths, batch_size,
        max_length)` int32 labels padded with `-1` (`top_paths` is 1 for
        greedy); `scores` is `(batch_size, top_paths)`: for greedy, minus
        the sum of each step's best logit; for beam search, each path's
        log-probability.

    Example:

    >>> from lamina import ops
    >>> logits = ops.log([[[0.1, 0.9], [0.1, 0.9], [0.9, 0.1]]])
    >>> paths, _ = ops.ctc_decode(logits, [3])
    >>> paths.tolist()
    [[[1, -1, -1]]]
    """
    x = _float_logits("ctc_decode", inputs)
    lengths = to_tensor(sequence_lengths, device=x.device).to(torch.int32)
    if strategy == "greedy":
        return _greedy(x, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(x, lengths.cpu(), beam_width, top_paths, mask_index)
    raise ValueError(
        invalid_argument(
            "ops.ctc_decode",
            "strategy",
            "one of 'greedy', 'beam_search'",
            strategy,
        )
    )
