"""The fused kernels against the step loop: same outputs, states and
gradients, for every mask shape the fused path accepts."""

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent import fused_rnn
from tests.layers.recurrent.helpers import KernelSpy
from tests.layers.recurrent.helpers import random_input

_MASKS = {
    "right": [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]],
    "left": [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 1]],
    "holes": [[1, 0, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 0]],
    "empty_row": [[0, 0, 0, 0, 0], [1, 1, 1, 0, 0], [1, 1, 1, 1, 1]],
}


def _run(layer, x, mask, fused):
    layer._use_fused = fused
    x = x.clone().requires_grad_(True)
    out = layer(x, mask=mask)
    flat = [out] if isinstance(out, torch.Tensor) else list(out)
    sum(o.square().sum() for o in flat).backward()
    grads = [x.grad] + [p.grad.clone() for p in layer.parameters()]
    layer.zero_grad()
    return [o.detach() for o in flat], grads


@pytest.mark.parametrize(
    "name,kind", [("LSTM", "lstm"), ("GRU", "gru"), ("SimpleRNN", "rnn_tanh")]
)
@pytest.mark.parametrize("mask_name", list(_MASKS))
@pytest.mark.parametrize(
    "go_backwards,zero_output", [(False, False), (True, False), (True, True)]
)
def test_fused_equals_loop(
    monkeypatch, name, kind, mask_name, go_backwards, zero_output
):
    layer = getattr(lamina.layers, name)(
        3,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
    )
    x = torch.from_numpy(random_input((3, 5, 2)))
    mask = torch.tensor(_MASKS[mask_name], dtype=torch.bool)
    spy = KernelSpy(monkeypatch)
    fused_out, fused_grads = _run(layer, x, mask, True)
    one_sided = mask_name in ("right", "left")
    assert [c[0] for c in spy.calls] == ([kind] if one_sided else [])
    loop_out, loop_grads = _run(layer, x, mask, False)
    for a, b in zip(fused_out + fused_grads, loop_out + loop_grads):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mask_name", ["right", "left"])
@pytest.mark.parametrize("zero_output", [False, True])
def test_last_output_only(monkeypatch, mask_name, zero_output):
    layer = lamina.layers.LSTM(3, zero_output_for_mask=zero_output)
    x = torch.from_numpy(random_input((3, 5, 2), seed=1))
    mask = torch.tensor(_MASKS[mask_name], dtype=torch.bool)
    spy = KernelSpy(monkeypatch)
    fused_out, fused_grads = _run(layer, x, mask, True)
    assert spy.calls
    loop_out, loop_grads = _run(layer, x, mask, False)
    for a, b in zip(fused_out + fused_grads, loop_out + loop_grads):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    if zero_output and mask_name == "right":
        # Keras: the last step is masked, so the "last output" is zeros.
        assert not fused_out[0][1:].any() and fused_out[0][0].any()


def test_unmasked_and_full_masks_skip_packing(monkeypatch):
    layer = lamina.layers.GRU(2)
    x = torch.from_numpy(random_input((2, 3, 2)))
    spy = KernelSpy(monkeypatch)
    layer(x)
    layer(x, mask=torch.ones(2, 3, dtype=torch.bool))
    assert spy.calls == [("gru", False), ("gru", False)]
    layer(x, mask=torch.tensor([[1, 1, 0], [1, 1, 1]], dtype=torch.bool))
    assert spy.calls[-1] == ("gru", True)


def test_padding_detection():
    def side(rows):
        found = fused_rnn._padding(torch.tensor(rows, dtype=torch.bool))
        return None if found is None else found[0]

    assert side(_MASKS["right"]) == "right"
    assert side(_MASKS["left"]) == "left"
    assert side([[1, 1], [1, 1]]) == "full"
    assert side(_MASKS["holes"]) is None
    assert side(_MASKS["empty_row"]) is None
    assert side([[1, 1, 0], [0, 1, 1]]) is None


def test_roll_moves_each_row():
    x = torch.arange(8.0).view(2, 4, 1)
    rolled = fused_rnn._roll(x, torch.tensor([1, 3]))
    assert rolled[..., 0].tolist() == [[1, 2, 3, 0], [7, 4, 5, 6]]
    assert torch.equal(fused_rnn._roll(rolled, -torch.tensor([1, 3])), x)


@pytest.mark.compile
@pytest.mark.parametrize(
    "name,kwargs",
    [("LSTM", dict(return_sequences=True)), ("GRU", dict(reset_after=False))],
)
def test_torch_compile_traces_both_paths(name, kwargs):
    # Dynamo only (the "eager" backend keeps the test fast): the fused
    # kernel is a graph break, as for torch.nn.LSTM; the loop is traced.
    torch._dynamo.reset()
    layer = getattr(lamina.layers, name)(3, **kwargs)
    x = torch.from_numpy(random_input((2, 4, 2)))
    compiled = torch.compile(layer, backend="eager")
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=torch.bool)
    for call_kwargs in ({}, {"mask": mask}):
        np.testing.assert_allclose(
            compiled(x, **call_kwargs).detach().numpy(),
            layer(x, **call_kwargs).detach().numpy(),
            rtol=1e-6,
            atol=1e-6,
        )
