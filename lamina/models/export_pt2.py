"""torch.export (`.pt2`) export: one `ExportedProgram`, saved with
`torch.export.save` and reloaded with `torch.export.load(path).module()`.

The call is captured non-strictly on CPU with one dynamic `batch` axis
shared by all inputs (`export_signature.dynamic_shapes`). `Model.export(
format="torch")` and each `ExportArchive` endpoint use it.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.models import export_signature as sig
from lamina.models.export import export_error
from lamina.models.export import quiet_exporter


def exported_program(module: Any) -> Any:
    """`torch.export.export` of `module` (a `FlatCall`-shaped module:
    `forward(*flat_inputs)`, with `flat_specs` and `model`)."""
    samples = sig.sample_inputs(module.flat_specs)
    try:
        with quiet_exporter():
            return torch.export.export(
                module,
                samples,
                strict=False,
                dynamic_shapes=sig.dynamic_shapes(module.flat_specs),
            )
    except Exception as e:
        raise export_error(module, "torch.export (.pt2)", e) from e


def write(f: Any, module: Any) -> None:
    """Export `module` (in eval mode, on CPU) and save the program to the
    binary file `f`.

    Example:

    >>> import io, torch, lamina
    >>> from lamina.models.export import FlatCall
    >>> from lamina.models.export_signature import input_structure
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> module = FlatCall(model, input_structure(model))
    >>> module.build()
    >>> f = io.BytesIO()
    >>> write(f, module.eval())
    >>> _ = f.seek(0)
    >>> torch.export.load(f).module()(torch.ones(5, 3)).shape
    torch.Size([5, 2])
    """
    torch.export.save(exported_program(module), f)
