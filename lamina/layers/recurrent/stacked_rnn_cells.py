"""`StackedRNNCells`: a stack of RNN cells that behaves as one cell."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.layers.recurrent.cell_utils import accepts
from lamina.layers.core.wrapper import build_child
from lamina.layers.recurrent.cell_utils import call_cell
from lamina.layers.recurrent.cell_utils import check_cell
from lamina.saving import serialization
from lamina.utils import tree


class StackedRNNCells(Layer):
    """Wrapper allowing a stack of RNN cells to behave as a single cell.

    Each cell's output is the next cell's input; the states are the list of
    the cells' states. `RNN([cell_a, cell_b])` builds one of these.

    Args:
        cells: list of RNN cells (built-in cells or any object with
            `call(inputs, states)` and `state_size`).

    Call arguments:
        inputs: `(batch, features)`, the inputs of one timestep.
        states: one entry per cell (a list for cells with several states).
        training: passed to the cells that take it.
        constants: passed to the cells whose `call` takes `constants`.

    Example:

    >>> import torch, lamina
    >>> cells = [lamina.layers.LSTMCell(8), lamina.layers.GRUCell(4)]
    >>> stacked = lamina.layers.StackedRNNCells(cells)
    >>> stacked.state_size, stacked.output_size
    ([[8, 8], 4], 4)
    >>> lamina.layers.RNN(stacked)(torch.ones(2, 5, 3)).shape
    torch.Size([2, 4])
    """

    def __init__(self, cells: Any, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError(
                "StackedRNNCells: `cells` must be a non-empty list of RNN "
                f"cells. Received: cells={cells!r}"
            )
        for cell in cells:
            check_cell(cell, f"Layer '{self.name}' (StackedRNNCells)", "cells")
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self) -> int:
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        size = last.state_size
        return size[0] if isinstance(size, (list, tuple)) else size

    def get_initial_state(self, batch_size: Any = None) -> list:
        states = []
        for cell in self.cells:
            if hasattr(cell, "get_initial_state"):
                state = cell.get_initial_state(batch_size=batch_size)
            elif isinstance(cell.state_size, int):
                state = torch.zeros(batch_size, cell.state_size)
            else:
                state = [torch.zeros(batch_size, d) for d in cell.state_size]
            states.append(state)
        return states

    def build(self, input_shape: Any) -> None:
        for cell in self.cells:
            if isinstance(cell, Layer):
                build_child(self, cell, tuple(input_shape))
            size = getattr(cell, "output_size", None)
            if size is None:
                size = cell.state_size
                size = size[0] if isinstance(size, (list, tuple)) else size
            input_shape = (tuple(input_shape)[0], size)

    def call(
        self,
        inputs: Any,
        states: Any,
        training: bool = False,
        constants: Any = None,
    ) -> Any:
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            listed = tree.is_nested(cell_states)
            cell_states = list(cell_states) if listed else [cell_states]
            inputs, cell_states = call_cell(
                cell,
                inputs,
                cell_states,
                training,
                constants
                if constants is not None and accepts(cell, "constants")
                else None,
            )
            if not tree.is_nested(cell_states):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not listed:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        return inputs, new_states

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "cells": [
                serialization.serialize_keras_object(c) for c in self.cells
            ],
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> StackedRNNCells:
        config = dict(config)
        cells = [
            serialization.deserialize_keras_object(
                c, custom_objects=custom_objects
            )
            for c in config.pop("cells")
        ]
        return cls(cells, **config)
