"""TorchScript export: `torch.jit.trace`, checked at another batch size.

A trace records the tensor operations of one call; Python values (a
shape turned into an `int`, a branch on a size) become constants. The
trace is taken at batch size 2 and then run at batch size 3 against the
model itself, so a trace that fixed the batch size fails at export. Other
`None` axes keep whatever the trace recorded (torch's fused LSTM, for
one, takes any number of time steps).
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.models import export_signature as sig
from lamina.models.export import FlatCall
from lamina.models.export import export_error
from lamina.models.export import quiet_exporter
from lamina.utils import tree


def write(f: Any, module: FlatCall) -> None:
    """Trace `module` (in eval mode, on CPU) and save it to the binary
    file `f`; `torch.jit.load` reads it back.

    Example:

    >>> import io, torch, lamina
    >>> from lamina.models.export import FlatCall
    >>> from lamina.models.export_signature import input_structure
    >>> model = lamina.Sequential([lamina.Input((4,)),
    ...                            lamina.layers.Dense(2)])
    >>> buffer = io.BytesIO()
    >>> write(buffer, FlatCall(model, input_structure(model)))
    >>> _ = buffer.seek(0)
    >>> torch.jit.load(buffer)(torch.ones(5, 4)).shape
    torch.Size([5, 2])
    """
    samples = sig.sample_inputs(module.flat_specs)
    try:
        with torch.no_grad(), quiet_exporter():
            traced = torch.jit.trace(module, samples, check_trace=False)
    except Exception as e:
        raise export_error(module, "TorchScript", e) from e
    _check_trace(module, traced)
    torch.jit.save(traced, f)


def _check_trace(module: FlatCall, traced: Any) -> None:
    """Run the trace at another batch size against the model itself."""
    batch = sig.SAMPLE_BATCH + 1
    inputs = sig.sample_inputs(module.flat_specs, batch=batch, seed=1)
    why = (
        f" (the trace taken at batch size {sig.SAMPLE_BATCH} does not "
        f"reproduce the model at batch size {batch}: its `call` "
        "probably turns a shape into a Python number, e.g. "
        "`int(x.shape[0])`)"
    )
    with torch.no_grad():
        expected = tree.flatten(module(*inputs))
        try:
            got = tree.flatten(traced(*inputs))
        except Exception as e:
            raise export_error(module, "TorchScript", e, why) from e
    for g, want in zip(got, expected):
        if g.shape != want.shape or not torch.allclose(
            g, want, rtol=1e-4, atol=1e-5
        ):
            raise export_error(
                module,
                "TorchScript",
                "the traced outputs differ from the model's",
                why,
            )
