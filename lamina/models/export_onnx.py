"""ONNX export: `torch.export.export`, then torch's ONNX converter.

torch.export captures the call non-strictly (plain Python runs, tensor
operations are recorded) with one dynamic `batch` dimension shared by all
inputs, and `Dim.AUTO` for other `None` axes: they stay dynamic unless
the code fixes them, in which case a `LaminaWarning` says so. The
converter (`torch.onnx.export(..., dynamo=True)`) needs the `onnx` and
`onnxscript` packages. The weights are stored in the one file, which
ONNX's protobuf format caps at 2 GB.
"""

from __future__ import annotations

import os
import sys
import types
import warnings
from typing import Any

import torch
from torch.fx.experimental.symbolic_shapes import is_concrete_int

from lamina.errors import LaminaWarning
from lamina.models import export_signature as sig
from lamina.models.export import FlatCall
from lamina.models.export import export_error
from lamina.models.export import quiet_exporter

_LIMIT_BYTES = 2 * 1024**3


def check_model(model: Any) -> None:
    """Fail before any work if the packages are missing or the weights
    exceed the single-file limit."""
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "Model.export(format='onnx') needs the `onnx` and `onnxscript` "
            "packages (torch's ONNX converter uses them). Install them with "
            f"`pip install lamina[export]`. Missing: {e.name}"
        ) from None
    size = sum(
        t.numel() * t.element_size()
        for t in model.state_dict().values()
        if isinstance(t, torch.Tensor)
    )
    if size >= _LIMIT_BYTES:
        raise ValueError(
            f"Model '{model.name}' ({type(model).__name__}) has "
            f"{size / 1024**3:.1f} GB of weights; a single-file ONNX model "
            "must stay under 2 GB, and lamina does not write ONNX external "
            "data files. Use format='torchscript'."
        )


def write(f: Any, module: FlatCall, opset_version: int | None = None) -> None:
    """Export `module` (in eval mode, on CPU) and write the ONNX model to
    the binary file `f`."""
    samples = sig.sample_inputs(module.flat_specs)
    program = _exported_program(module, samples)
    try:
        with quiet_exporter():
            onnx_program = torch.onnx.export(
                program,
                (),
                dynamo=True,
                external_data=False,
                input_names=sig.leaf_names(module.specs, "input"),
                output_names=module.output_names,
                opset_version=opset_version,
                verbose=False,
            )
    except Exception as e:
        raise export_error(module, "ONNX", e) from e
    # torch's stub types export's result as Optional: None comes only
    # with dynamo=False.
    proto = onnx_program.model_proto  # type: ignore[union-attr]
    _name_batch_axis(proto, module.flat_specs)
    f.write(proto.SerializeToString())


def _exported_program(module: FlatCall, samples: tuple):
    try:
        with quiet_exporter():
            program = torch.export.export(
                module,
                samples,
                strict=False,
                dynamic_shapes=sig.dynamic_shapes(module.flat_specs),
            )
    except Exception as e:
        raise export_error(
            module,
            "ONNX",
            e,
            " (torch.export could not "
            "capture its call with a dynamic batch size; a "
            "common cause is code that turns a shape into a "
            "Python number, e.g. `int(x.shape[0])`)",
        ) from e
    _warn_fixed_axes(module, program)
    return program


def _warn_fixed_axes(module: FlatCall, program: Any) -> None:
    """Warn about `None` axes that the traced code fixed to one size."""
    nodes = {n.name: n for n in program.graph.nodes if n.op == "placeholder"}
    names = sig.leaf_names(module.specs, "input")
    keys = program.graph_signature.user_inputs
    for spec, name, key in zip(module.flat_specs, names, keys):
        shape = nodes[key].meta["val"].shape
        fixed = [
            i
            for i, d in enumerate(spec.shape)
            if d is None and i > 0 and is_concrete_int(shape[i])
        ]
        if fixed:
            sizes = tuple(int(d) for d in shape[1:])
            warnings.warn(
                LaminaWarning(
                    f"Model '{module.model.name}': axes {fixed} of input "
                    f"'{name}' are None in the signature, but the model's code "
                    f"fixed them while exporting, so the ONNX model expects "
                    f"shape {sizes} after the batch axis. To serve another "
                    "size, pass an `input_signature` with that size."
                ),
                stacklevel=_user_stacklevel(),
            )


def _user_stacklevel() -> int:
    """The `stacklevel` of the first caller outside lamina, for a warning
    raised from `_warn_fixed_axes`."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level = 1
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(root):
        frame, level = frame.f_back, level + 1
    return level


def _name_batch_axis(proto: Any, flat_specs: list) -> None:
    """Call the dynamic batch axis `batch` in the ONNX graph (torch names
    it after its internal symbol, e.g. `s52`), as Keras's export does."""
    graph = proto.graph
    index = next(
        (i for i, s in enumerate(flat_specs) if s.shape and s.shape[0] is None),
        None,
    )
    if index is None:
        return
    symbol = graph.input[index].type.tensor_type.shape.dim[0].dim_param
    if not symbol:
        return
    for info in (*graph.input, *graph.output, *graph.value_info):
        for dim in info.type.tensor_type.shape.dim:
            if dim.dim_param == symbol:
                dim.dim_param = "batch"
