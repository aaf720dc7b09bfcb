import torch

from lamina.layers.recurrent.rnn_loop import run_loop


def _step(x, states):
    total = states[0] + x
    return total * 10, [total]


def _run(**kwargs):
    x = torch.arange(1.0, 5.0).view(1, 4, 1)
    mask = torch.tensor([[True, False, True, False]])
    return run_loop(_step, x, [torch.zeros(1, 1)], mask=mask, **kwargs)


def test_masked_steps_keep_state_and_repeat_the_output():
    last, outputs, states = _run()
    assert outputs.flatten().tolist() == [10, 10, 40, 40]
    assert last.item() == 40 and states[0].item() == 4


def test_zero_output_for_mask():
    last, outputs, _ = _run(zero_output_for_mask=True)
    assert outputs.flatten().tolist() == [10, 0, 40, 0]
    assert last.item() == 0


def test_go_backwards_returns_outputs_in_processing_order():
    last, outputs, states = _run(go_backwards=True)
    # Steps run 4, 3, 2, 1; step 4 is masked (no previous output: zeros).
    assert outputs.flatten().tolist() == [0, 30, 30, 40]
    assert states[0].item() == 4


def test_last_output_only():
    last, outputs, _ = run_loop(
        _step, torch.ones(2, 3, 1), [torch.zeros(2, 1)], return_sequences=False
    )
    assert outputs is None and last.flatten().tolist() == [30, 30]
