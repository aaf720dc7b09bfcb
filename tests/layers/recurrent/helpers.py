"""Shared helpers of the recurrent-layer tests: build the same layer in
Keras and lamina, copy Keras's weights over, compare nested outputs."""

import numpy as np
import torch

import lamina
from lamina.layers.recurrent import fused_rnn
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

RTOL = 1e-5
ATOL = 1e-5


def random_input(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def right_padded(lengths, steps):
    return np.arange(steps)[None, :] < np.asarray(lengths)[:, None]


def assert_close(ours, theirs, rtol=RTOL, atol=ATOL):
    """Compare (possibly nested) outputs leaf by leaf."""
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)), type(ours)
        assert len(ours) == len(theirs), (len(ours), len(theirs))
        for a, b in zip(ours, theirs):
            assert_close(a, b, rtol, atol)
        return
    a = to_numpy(ours)
    b = np.asarray(to_numpy(theirs))
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def layer_pair(name, *args, **kwargs):
    """The same layer in Keras and in lamina."""
    return (
        getattr(keras.layers, name)(*args, **kwargs),
        getattr(lamina.layers, name)(*args, **kwargs),
    )


def call_both(k_layer, m_layer, x, **call_kwargs):
    """Call Keras, copy its weights into lamina, call lamina."""
    k_kwargs = {k: _to_keras(v) for k, v in call_kwargs.items()}
    k_out = k_layer(torch.from_numpy(x), **k_kwargs)
    m_kwargs = {k: _to_torch(v) for k, v in call_kwargs.items()}
    if not m_layer.built:
        m_layer(torch.from_numpy(x), **m_kwargs)
    m_layer.set_weights(k_layer.get_weights())
    return k_out, m_layer(torch.from_numpy(x), **m_kwargs)


def _to_torch(value):
    if isinstance(value, (list, tuple)):
        return [_to_torch(v) for v in value]
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value)
    return value


def _to_keras(value):
    return _to_torch(value)


def loop_output(m_layer, x, **call_kwargs):
    """lamina's output with the fused kernels switched off."""
    m_layer._use_fused = False
    try:
        return m_layer(
            torch.from_numpy(x),
            **{k: _to_torch(v) for k, v in call_kwargs.items()},
        )
    finally:
        m_layer._use_fused = True


def config_without_name(layer):
    config = dict(layer.get_config())
    config.pop("name")
    return config


class KernelSpy:
    """Counts the calls of torch's fused kernels (a fused-path test must
    fail when the layer silently falls back to the step loop)."""

    def __init__(self, monkeypatch):
        self.calls = []
        for kind, kernel in list(fused_rnn._KERNELS.items()):
            monkeypatch.setitem(
                fused_rnn._KERNELS, kind, self._wrap(kind, kernel)
            )

    def _wrap(self, kind, kernel):
        def spy(*args):
            self.calls.append(
                (
                    kind,
                    isinstance(args[1], torch.Tensor)
                    and args[1].dtype == torch.int64,
                )
            )
            return kernel(*args)

        return spy
