"""One `ExportArchive` endpoint: the module `torch.export` captures, and
the checks of its signature and writer options."""

from __future__ import annotations

from typing import Any, Callable

import torch

from lamina.models import export_signature as sig
from lamina.utils import tree


class Endpoint(torch.nn.Module):
    """`forward(*flat_inputs)` → `fn(*inputs)` flattened, with the tracked
    layers as submodules. Shaped like `export.FlatCall`, so the ONNX writer
    of `Model.export` takes it as it is."""

    def __init__(self, name: str, fn: Callable, specs: tuple, resources: Any):
        super().__init__()
        self.name = name
        self.fn = fn
        self.specs = specs
        self.flat_specs = tree.flatten(specs)
        self.tracked = torch.nn.ModuleList(resources)

    @property
    def model(self) -> "Endpoint":
        """What the shared writers name in their errors (`FlatCall.model`
        is the exported model; here the endpoint itself)."""
        return self

    def forward(self, *flat_inputs: Any) -> Any:
        args = tree.pack_sequence_as(self.specs, list(flat_inputs))
        outputs = tree.flatten(self.fn(*args))
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def build(self) -> None:
        samples = sig.sample_inputs(self.flat_specs)
        with torch.no_grad():
            args = tree.pack_sequence_as(self.specs, list(samples))
            self.output_names = sig.leaf_names(self.fn(*args), "output")


def convert_signature(x: Any, name: str) -> Any:
    if isinstance(x, dict):
        return {k: convert_signature(v, name) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(convert_signature(v, name) for v in x)
    return sig._to_spec(_Named(name), x)


class _Named:
    """Stands for the endpoint in the signature checks' messages, which
    name `type(owner).__name__`."""

    def __init__(self, name: str):
        self.name = name


_Named.__name__ = "ExportArchive"


def check_options(format: str, options: Any) -> dict:
    allowed = {"onnx": ("opset_version",), "pt2": ()}[format]
    options = dict(options or {})
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(
            "Invalid value for argument `options` of ExportArchive."
            f"write_out with format={format!r}: unknown keys {unknown}; "
            f"accepted: {list(allowed)}. Received: options={options!r}"
        )
    return options
