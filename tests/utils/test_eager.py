"""`eager_only`: no dynamo import at lamina import; a graph break when
compiling."""

import subprocess
import sys

import pytest
import torch

from lamina.utils.eager import eager_only


def test_importing_lamina_does_not_load_dynamo():
    code = (
        "import sys, lamina; lamina.layers; lamina.metrics; "
        "lamina.optimizers; print('torch._dynamo' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip() == "False"


@pytest.mark.compile
def test_runs_eagerly_inside_a_compiled_function():
    calls = []

    @eager_only
    def record(x):
        calls.append(torch.compiler.is_compiling())
        return x * 2

    compiled = torch.compile(lambda x: record(x) + 1, backend="eager")
    out = compiled(torch.ones(3))
    assert torch.equal(out, torch.full((3,), 3.0))
    assert calls == [False]  # called outside the graph
    assert record(torch.ones(1)).item() == 2.0
