"""The general time loop of `RNN`: any cell, any mask, step by step.

Masked timesteps (mask False) keep the previous states and output either
the previous output or zeros (`zero_output_for_mask`), as Keras's
`backend.rnn` does. With `go_backwards` the steps run from the last to the
first and the outputs come back in that (reversed) order.
"""

from __future__ import annotations

from typing import Any

from typing import Callable

import torch


def _keep(mask_t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """The `(batch,)` step mask shaped to broadcast against `like`."""
    return mask_t.view(mask_t.shape[0], *([1] * (like.ndim - 1)))


def run_loop(
    step: Callable,
    inputs: torch.Tensor,
    states: list,
    mask: torch.Tensor | None = None,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
    return_sequences: bool = True,
) -> Any:
    """Run `step(x_t, states) -> (output, new_states)` over axis 1.

    Args:
        step: one timestep; `states` is a flat list of tensors.
        inputs: `(batch, timesteps, ...)`.
        states: the flat list of initial states.
        mask: optional boolean `(batch, timesteps)`.
        go_backwards: process the timesteps in reverse.
        zero_output_for_mask: masked steps output zeros instead of the
            previous output.
        return_sequences: also stack the outputs of every step.

    Returns:
        `(last_output, outputs or None, final_states)`.
    """
    xs = inputs.unbind(1)
    masks = mask.unbind(1) if mask is not None else None
    order = range(len(xs) - 1, -1, -1) if go_backwards else range(len(xs))
    outputs, previous, zeros, output = [], None, None, None
    for t in order:
        output, new_states = step(xs[t], states)
        if masks is not None:
            keep = masks[t]
            if zeros is None:
                zeros = torch.zeros_like(output)
            fill = (
                zeros if zero_output_for_mask or previous is None else previous
            )
            output = torch.where(_keep(keep, output), output, fill)
            new_states = [
                torch.where(_keep(keep, new), new, old)
                for new, old in zip(new_states, states)
            ]
            previous = output
        states = list(new_states)
        if return_sequences:
            outputs.append(output)
    sequence = torch.stack(outputs, dim=1) if return_sequences else None
    return output, sequence, states
