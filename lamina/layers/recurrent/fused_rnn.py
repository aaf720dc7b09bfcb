"""The fused path of `RNN`: torch's own LSTM / GRU / RNN kernels.

The kernels (`torch._VF.lstm` and friends, what `torch.nn.LSTM` runs:
cuDNN on GPU, oneDNN or ATen on CPU) take the cell's parameters as they
are stored, with no copy. Masks are honoured when every row is padded on
one side only, the case of real data (`Embedding(mask_zero=True)` on
right-padded sequences, and the same sequences read backwards, which are
then left-padded): the valid steps go through the kernel as a packed
sequence and the padded steps get what Keras's step loop would give them.
Any other mask returns None, and the caller runs the step loop.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.nn.utils.rnn import PackedSequence
from torch.nn.utils.rnn import pack_padded_sequence
from torch.nn.utils.rnn import pad_packed_sequence

from lamina.utils.eager import eager_only

_KERNELS: dict[str, Any] = {
    "lstm": torch._VF.lstm,
    "gru": torch._VF.gru,
    "rnn_tanh": torch._VF.rnn_tanh,
    "rnn_relu": torch._VF.rnn_relu,
}


def _hx(kind: str, states: list):
    hx = [s.unsqueeze(0) for s in states]
    return tuple(hx) if kind == "lstm" else hx[0]


def _dense(kind: str, x, states: list, params: list):
    # `train` only matters to cuDNN, which must keep its workspace for a
    # backward pass whenever one can follow.
    result = _KERNELS[kind](
        x,
        _hx(kind, states),
        params,
        len(params) == 4,
        1,
        0.0,
        torch.is_grad_enabled(),
        False,
        True,
    )
    return result[0], [s.squeeze(0) for s in result[1:]]


def _packed(kind: str, x, states: list, params: list, lengths):
    packed = pack_padded_sequence(
        x, lengths.cpu(), batch_first=True, enforce_sorted=False
    )
    order, restore = packed.sorted_indices, packed.unsorted_indices
    hx = _hx(kind, [s.index_select(0, order) for s in states])
    result = _KERNELS[kind](
        packed.data,
        packed.batch_sizes,
        hx,
        params,
        len(params) == 4,
        1,
        0.0,
        torch.is_grad_enabled(),
        False,
    )
    out, _ = pad_packed_sequence(
        PackedSequence(result[0], packed.batch_sizes, order, restore),
        batch_first=True,
        total_length=x.shape[1],
    )
    return out, [s.squeeze(0).index_select(0, restore) for s in result[1:]]


def _padding(mask):
    """`(side, lengths)` for a mask padded on one side ("full" when
    nothing is masked), None when the step loop must handle it."""
    steps = torch.arange(mask.shape[1], device=mask.device)
    lengths = mask.sum(dim=1)
    flags = torch.stack(
        [
            (lengths == mask.shape[1]).all(),
            (mask == (steps < lengths[:, None])).all(),
            (mask == (steps >= (mask.shape[1] - lengths)[:, None])).all(),
            (lengths == 0).any(),
        ]
    ).tolist()  # one read back from the device for all four
    full, right, left, empty = flags
    if full:
        return "full", lengths
    if empty or not (right or left):
        return None
    return ("right" if right else "left"), lengths


def _roll(x, shift):
    """Row `b` of `x` rotated left by `shift[b]` steps along axis 1."""
    steps = torch.arange(x.shape[1], device=x.device)
    index = (steps[None, :] + shift[:, None]) % x.shape[1]
    index = index.view(*index.shape, *([1] * (x.ndim - 2))).expand_as(x)
    return x.gather(1, index)


# As for `torch.nn.LSTM` (Dynamo's `allow_rnn` is off by default), a
# compiled step runs the fused kernel eagerly: a graph break here, since
# inductor fails on the CPU kernel (`mkldnn_rnn_layer`) in torch 2.13.
@eager_only
def run_fused(
    kind: str,
    inputs: torch.Tensor,
    states: list,
    params: list,
    mask: Any = None,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
    return_sequences: bool = True,
) -> Any:
    """The fused kernel `kind` over `inputs` (batch first).

    Returns `(last_output, outputs or None, final_states)` as
    `rnn_loop.run_loop` does, or None when the mask is not one-sided.
    """
    x = inputs.flip(1) if go_backwards else inputs
    side = "full"
    if mask is not None and x.device.type != "meta":
        # (A shape trace has no mask values and needs only the shapes.)
        mask = mask.flip(1) if go_backwards else mask
        layout = _padding(mask)
        if layout is None:
            return None
        side, lengths = layout
    if side == "full":
        out, final = _dense(kind, x, states, params)
        return final[0], (out if return_sequences else None), final
    if side == "left":
        # Leading masked steps keep the initial state and output zeros:
        # run the valid steps first, then move the outputs back in place.
        shift = x.shape[1] - lengths
        out, final = _packed(kind, _roll(x, shift), states, params, lengths)
        out = _roll(out, -shift) if return_sequences else None
        return final[0], out, final
    out, final = _packed(kind, x, states, params, lengths)
    last = final[0]
    if zero_output_for_mask:
        last = torch.where(mask[:, -1:], last, torch.zeros_like(last))
    elif return_sequences:
        # Masked steps repeat the last valid output.
        out = torch.where(mask[..., None], out, last[:, None])
    return last, (out if return_sequences else None), final
