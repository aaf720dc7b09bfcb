"""The input signature of `Model.export`: what the exported graph takes.

A signature is the structure of the model's one input argument (a spec,
or a list, tuple or dict of them) with `InputSpec` leaves. `None` sizes
are dynamic in the export: the batch axis always, other axes where the
exporter can keep them so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.engine.input_spec import InputSpec
from lamina.engine.symbolic import SymbolicTensor
from lamina.utils import tree
from lamina.utils.dtype_utils import standardize_dtype
from lamina.utils.dtype_utils import to_torch_dtype

# Sample sizes for `None` axes. The batch is 2, not 1, because torch.export
# fixes axes of size 0 or 1 to constants; other free axes (time steps,
# image sides) get 8 so that small conv and pooling stacks still fit.
SAMPLE_BATCH = 2
SAMPLE_OTHER = 8

_NO_SIGNATURE = (
    "Model '{name}' ({cls}) has no known input signature: it has no "
    "`Input` and has not been called on data. Pass "
    "`input_signature`, e.g. `model.export(path, format='onnx', "
    "input_signature=lamina.InputSpec(shape=(None, 16), dtype='float32'))`"
    ", or call the model on a batch first. Received: input_signature=None"
)


def input_structure(model: Any, input_signature: Any = None) -> Any:
    """The signature of `model` as a structure of `InputSpec`s.

    Args:
        model: the model to export.
        input_signature: `None` (inferred from a functional or Sequential
            model's inputs, or from the shapes a subclassed model was first
            called on), or a structure of `InputSpec`s, symbolic tensors,
            tensors or arrays (their batch axis is made dynamic). A list
            of one item is read as that item, Keras's `[structure]` form.

    Returns:
        The same structure with `InputSpec` leaves (shape and dtype set).

    Example:

    >>> import lamina
    >>> x = lamina.Input((4,), name="x")
    >>> model = lamina.Model(x, lamina.layers.Dense(2)(x))
    >>> spec = input_structure(model)
    >>> spec.shape, spec.dtype, spec.name
    ((None, 4), 'float32', 'x')
    """
    if input_signature is None:
        return _convert(model, _inferred(model))
    if isinstance(input_signature, (list, tuple)) and len(input_signature) == 1:
        input_signature = input_signature[0]
    return _convert(model, input_signature)


def _convert(model: Any, x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _convert(model, v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        if x and all(d is None or isinstance(d, int) for d in x):
            raise TypeError(
                f"Invalid value in argument `input_signature` of "
                f"{type(model).__name__}.export: a shape goes in an "
                f"InputSpec, e.g. lamina.InputSpec(shape={tuple(x)}, "
                f"dtype='float32'). Received: {x!r}"
            )
        return type(x)(_convert(model, v) for v in x)
    return _to_spec(model, x)


def _inferred(model: Any) -> Any:
    if getattr(model, "is_graph_network", False):
        return model._inputs_struct
    shapes = getattr(model, "_build_shapes", None)
    if shapes is None:
        raise ValueError(
            _NO_SIGNATURE.format(name=model.name, cls=type(model).__name__)
        )
    return _shapes_to_specs(shapes, model._input_dtype or "float32")


def _shapes_to_specs(shapes: Any, dtype: str) -> Any:
    if isinstance(shapes, dict):
        return {k: _shapes_to_specs(v, dtype) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)) and all(
        d is None or isinstance(d, int) for d in shapes
    ):
        return InputSpec(shape=(None, *shapes[1:]), dtype=dtype)
    return [_shapes_to_specs(s, dtype) for s in shapes]


def _to_spec(model: Any, x: Any) -> InputSpec:
    if isinstance(x, InputSpec):
        if x.shape is None:
            raise ValueError(
                f"Model '{model.name}' ({type(model).__name__}): every "
                "InputSpec of `input_signature` needs a `shape`. Received: "
                f"InputSpec(shape=None, dtype={x.dtype!r})"
            )
        return InputSpec(
            shape=x.shape,
            dtype=standardize_dtype(x.dtype or "float32"),
            name=x.name,
        )
    if isinstance(x, SymbolicTensor):
        name = x.name
        if x._keras_history is not None:
            name = x._keras_history.operation.name
        return InputSpec(shape=(None, *x.shape[1:]), dtype=x.dtype, name=name)
    if isinstance(x, (torch.Tensor, np.ndarray)):
        return InputSpec(
            shape=(None, *x.shape[1:]), dtype=standardize_dtype(x.dtype)
        )
    raise TypeError(
        f"Invalid value in argument `input_signature` of "
        f"{type(model).__name__}.export: expected lamina.InputSpec, a "
        f"symbolic tensor (lamina.Input), a torch.Tensor or a NumPy array "
        f"(or a list, tuple or dict of them). Received: {x!r}"
    )


def sample_inputs(
    specs: list, batch: int = SAMPLE_BATCH, seed: int = 0
) -> tuple:
    """Tensors matching flat `specs`: `None` axes take `batch` (axis 0) or
    `SAMPLE_OTHER`; floats are uniform in [0, 1), other dtypes zeros.
    A private generator leaves the global random state alone."""
    generator = torch.Generator().manual_seed(seed)
    out = []
    for spec in specs:
        shape = [
            (batch if i == 0 else SAMPLE_OTHER) if d is None else d
            for i, d in enumerate(spec.shape)
        ]
        dtype = to_torch_dtype(spec.dtype)
        if dtype.is_floating_point:
            out.append(torch.rand(shape, generator=generator).to(dtype))
        else:
            out.append(torch.zeros(shape, dtype=dtype))
    return tuple(out)


def dynamic_shapes(specs: list) -> tuple:
    """`torch.export` dynamic shapes for a `forward(*flat_inputs)`: one
    shared `batch` dimension (every input's axis 0 must agree), and
    `Dim.AUTO` for other `None` axes (dynamic unless the code fixes them).
    """
    batch = torch.export.Dim("batch")
    per_input = []
    for spec in specs:
        dims = {
            i: (batch if i == 0 else torch.export.Dim.AUTO)
            for i, d in enumerate(spec.shape)
            if d is None
        }
        per_input.append(dims or None)
    return (tuple(per_input),)


def leaf_names(structure: Any, prefix: str) -> list:
    """One unique name per leaf, in `tree.flatten` order: dict keys, spec
    names, else `{prefix}_{i}`."""
    names: list[Any]
    if isinstance(structure, dict):
        names = [
            str(k)
            for k in sorted(structure)
            for _ in tree.flatten(structure[k])
        ]
        if len(names) == len(set(names)):
            return names
    else:
        names = [getattr(x, "name", None) for x in tree.flatten(structure)]
        if all(names) and len(names) == len(set(names)):
            return names
    return [f"{prefix}_{i}" for i in range(len(tree.flatten(structure)))]
