"""`Model.export`: write the inference graph as ONNX, torch.export or
TorchScript.

All formats go through torch's own exporters, on CPU, with the model in
inference mode (Dropout off, BatchNormalization on its moving statistics)
and no gradient tracking; the batch axis is dynamic. Writes are atomic:
the file appears whole or not at all, and an old file survives a failure.
The input signature is worked out in `export_signature.py`.

- `format="onnx"` (`export_onnx.py`): `torch.export.export` (non-strict),
  then torch's torch.export-based ONNX converter, which needs the `onnx`
  and `onnxscript` packages (`pip install lamina[export]`). One file,
  weights included (ONNX's single-file limit is 2 GB). Reload with
  `onnxruntime.InferenceSession(path)`; inputs are named after the
  model's inputs, outputs `output_0`, ... (or the output dict's keys).
- `format="torchscript"` (`export_torchscript.py`): `torch.jit.trace`,
  checked at another batch size so that a trace that fixed the batch
  fails here rather than in serving. Reload with `torch.jit.load(path)`
  and call it with the inputs as positional tensors (dicts in sorted-key
  order). PyTorch 2.13 marks TorchScript deprecated; prefer ONNX.
- `format="torch"` (`export_pt2.py`): a `torch.export` program in a
  `.pt2` file, as Keras writes; reload with `torch.export.load(path)
  .module()` and call it with the inputs as positional tensors.
"""

from __future__ import annotations

from collections.abc import Iterator

import contextlib
import os
import warnings
from typing import Any

import torch

from lamina.models import export_signature as sig
from lamina.saving.atomic import atomic_write
from lamina.utils import tree
from lamina.utils.progbar import print_msg

SUPPORTED_FORMATS = ("onnx", "torchscript", "torch")
_FORMAT_KWARGS = {"onnx": ("opset_version",), "torchscript": (), "torch": ()}
_KERAS_ONLY = {
    "tf_saved_model": "TensorFlow",
    "litert": "TensorFlow Lite",
    "openvino": "OpenVINO",
}


def export_model(
    model: Any,
    filepath: Any,
    format: str | None = None,
    verbose: bool | None = None,
    input_signature: Any = None,
    **kwargs: Any,
) -> str:
    """Export `model`'s inference graph to `filepath` (see the module
    docstring for what each format holds and how to reload it).

    Args:
        model: a lamina `Model` (built, or with `input_signature`).
        filepath: `str` or path-like; the file to write.
        format: `"onnx"`, `"torch"` or `"torchscript"`. Required: Keras's default,
            `"tf_saved_model"`, needs TensorFlow, so lamina asks rather
            than silently writing another format.
        verbose: print where the file went (default `True`, as in Keras).
        input_signature: see `export_signature.input_structure`; needed
            for a subclassed model that has not been called.
        **kwargs: `opset_version` (ONNX only).

    Returns:
        The path written.

    Raises:
        ValueError: unknown `format` or keyword, or no known signature.
        TypeError: an `input_signature` entry of an unsupported type.
        OSError: the folder is missing or not writable (nothing written).
        RuntimeError: the exporter could not capture the model.

    Example:

    >>> import os, tempfile, torch, lamina
    >>> model = lamina.Sequential([lamina.Input((4,)),
    ...                            lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.pt")
    >>> _ = export_model(model, path, format="torchscript", verbose=False)
    >>> torch.jit.load(path)(torch.ones(3, 4)).shape
    torch.Size([3, 2])
    """
    fmt = _check_format(model, format, kwargs)
    path = os.fspath(filepath)
    specs = sig.input_structure(model, input_signature)
    writer = _writer(fmt, model, path)
    with inference_state(model) as settle:
        module = FlatCall(model, specs)
        module.build()
        settle()
        atomic_write(path, lambda f: writer.write(f, module, **kwargs))
    if verbose is None or verbose:
        print_msg(f"Saved {fmt} artifact at '{path}'.")
    return path


def _writer(fmt: str, model: Any, path: str):
    """The writer module of `fmt`, after its checks (before any work)."""
    if fmt == "onnx":
        from lamina.models import export_onnx

        export_onnx.check_model(model)
        return export_onnx
    if fmt == "torch":
        from lamina.models import export_pt2

        if not path.endswith(".pt2"):
            raise ValueError(
                "The PyTorch export requires the filepath to end with "
                f"'.pt2'. Got: {path}"
            )
        return export_pt2
    from lamina.models import export_torchscript

    return export_torchscript


def _check_format(model: Any, format: Any, kwargs: dict) -> str:
    owner = f"{type(model).__name__}.export"
    if format not in SUPPORTED_FORMATS:
        hint = ""
        if format is None:
            hint = (
                " There is no default: Keras's, 'tf_saved_model', "
                "needs TensorFlow; pass format='onnx', format='torch' "
                "or format='torchscript'."
            )
        elif isinstance(format, str) and format in _KERAS_ONLY:
            hint = (
                f" Keras's format {format!r} needs "
                f"{_KERAS_ONLY[format]}; lamina exports through "
                "torch's exporters."
            )
        raise ValueError(
            f"Invalid value for argument `format` of {owner}: expected one "
            f"of {list(SUPPORTED_FORMATS)}.{hint} Received: "
            f"format={format!r}"
        )
    unknown = sorted(set(kwargs) - set(_FORMAT_KWARGS[format]))
    if unknown:
        raise ValueError(
            f"Unrecognized keyword arguments passed to {owner} with "
            f"format={format!r}: {unknown}. Accepted: "
            f"{list(_FORMAT_KWARGS[format])}"
        )
    return format


class FlatCall(torch.nn.Module):
    """`forward(*flat_inputs)` → the model's outputs, flattened: exporters
    take positional tensors, models take one structured input."""

    def __init__(self, model: Any, specs: Any):
        super().__init__()
        self.model = model
        self.specs = specs
        self.flat_specs = tree.flatten(specs)

    def forward(self, *flat_inputs: Any) -> Any:
        inputs = tree.pack_sequence_as(self.specs, list(flat_inputs))
        outputs = tree.flatten(self.model(inputs, training=False))
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def build(self) -> None:
        """Call the model once on sample inputs: builds a model that has
        not built its weights yet (so no exporter records their creation)
        and names the outputs (`output_0`, ... or the output dict's keys).
        """
        samples = sig.sample_inputs(self.flat_specs)
        with torch.no_grad():
            outputs = self.model(
                tree.pack_sequence_as(self.specs, list(samples)), training=False
            )
        self.output_names = sig.leaf_names(outputs, "output")


@contextlib.contextmanager
def inference_state(model: Any) -> Iterator[Any]:
    """Eval mode, no grad on the weights, on CPU; all restored after.
    Yields `settle()`: call it again once the model has built new weights
    or layers, so that they too are set (and restored)."""
    modes: dict[Any, bool] = {}
    grads: dict[Any, bool] = {}
    device = next(
        (
            t.device
            for t in model.state_dict().values()
            if isinstance(t, torch.Tensor)
        ),
        None,
    )
    moved = device is not None and device.type != "cpu"

    def settle():
        for m in model.modules():
            modes.setdefault(m, m.training)
        for p in model.parameters():
            grads.setdefault(p, p.requires_grad)
            p.requires_grad_(False)
        model.eval()

    try:
        settle()
        if moved:
            model.to("cpu")
        yield settle
    finally:
        if moved:
            model.to(device)
        for p, flag in grads.items():
            p.requires_grad_(flag)
        for m, mode in modes.items():
            m.training = mode


@contextlib.contextmanager
def quiet_exporter() -> Iterator[Any]:
    """Hide exporter noise that is not the user's to act on: lamina's
    shape checks read sizes as Python booleans while tracing (they run
    only then, and `export_torchscript` checks the trace at another batch
    size), and torch.export warns about its own pytree internals."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=".*Converting a tensor to a Python boolean",
            category=torch.jit.TracerWarning,
        )
        warnings.filterwarnings(
            "ignore",
            message=".*isinstance\\(treespec, LeafSpec\\)",
            category=FutureWarning,
        )
        yield


def export_error(
    module: FlatCall, fmt: str, detail: Any, why: str = ""
) -> RuntimeError:
    """The error for a failed export; `detail` is a message or the
    exporter's exception (its type and first lines; chain it with
    `raise ... from`)."""
    if isinstance(detail, BaseException):
        lines = [
            line.strip() for line in str(detail).splitlines() if line.strip()
        ]
        text = " ".join(lines[:3])
        text = text if len(text) <= 600 else text[:597] + "..."
        detail = f"{type(detail).__name__}: {text}"
    model = module.model
    return RuntimeError(
        f"Model '{model.name}' ({type(model).__name__}) could not be "
        f"exported to {fmt}{why}. Exporter error: {detail}"
    )
