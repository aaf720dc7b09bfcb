"""`fit` flushes denormal floats on the CPU while it trains, and only
then (the opt-out is `LAMINA_FLUSH_DENORMAL=0`)."""

import numpy as np
import pytest
import torch

import lamina

TINY = 1e-39  # a float32 denormal


def _denormal_survives() -> bool:
    return bool(
        torch.tensor([TINY], dtype=torch.float32).mul(1.0).item() != 0.0
    )


def _fit_and_probe():
    seen = []
    probe = lamina.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(_denormal_survives())
    )
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(
        np.ones((8, 3), "float32"),
        np.ones((8, 1), "float32"),
        batch_size=4,
        epochs=1,
        verbose=0,
        callbacks=[probe],
    )
    return seen


def test_flushed_during_fit_only(monkeypatch):
    monkeypatch.delenv("LAMINA_FLUSH_DENORMAL", raising=False)
    if not torch.set_flush_denormal(False):
        pytest.fail(
            "this CPU cannot flush denormals; the test needs one "
            "that can (x86 with SSE3, or ARM)"
        )
    assert _denormal_survives()
    assert _fit_and_probe() == [False, False]
    assert _denormal_survives()


def test_opt_out_keeps_denormals(monkeypatch):
    monkeypatch.setenv("LAMINA_FLUSH_DENORMAL", "0")
    assert _fit_and_probe() == [True, True]
