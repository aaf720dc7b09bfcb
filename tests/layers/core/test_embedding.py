import json
import warnings

import numpy as np
import pytest
import torch

import lamina
from lamina.errors import LaminaWarning
from lamina.layers.core.embedding import Embedding
from tests.keras_oracle import keras, to_numpy


def _pair(**kwargs):
    k = keras.layers.Embedding(**kwargs)
    m = Embedding(**kwargs)
    k.build()
    m.build()
    m.set_weights(k.get_weights())
    return k, m


@pytest.mark.parametrize(
    "input_dim,output_dim,mask_zero,shape",
    [
        (10, 4, False, (2, 5)),
        (7, 3, True, (3, 6)),
        (5, 2, True, (2, 3, 4)),
        (20, 1, False, (4,)),
    ],
)
@pytest.mark.parametrize("dtype", ["int32", "int64", "int16", "uint8"])
def test_matches_keras(rng, input_dim, output_dim, mask_zero, shape, dtype):
    k, m = _pair(
        input_dim=input_dim, output_dim=output_dim, mask_zero=mask_zero
    )
    x = rng.integers(0, input_dim, size=shape).astype(dtype)
    k_out = k(torch.tensor(x))
    m_out = m(torch.tensor(x))
    assert m_out.dtype == torch.float32
    np.testing.assert_allclose(to_numpy(m_out), to_numpy(k_out))
    if mask_zero:
        np.testing.assert_array_equal(
            to_numpy(m_out._keras_mask), to_numpy(k_out._keras_mask)
        )
    else:
        assert getattr(m_out, "_keras_mask", None) is None
    assert m.count_params() == k.count_params() == input_dim * output_dim


@pytest.mark.parametrize("dtype", ["int32", "float32"])
def test_symbolic_matches_keras(dtype):
    # A float symbolic input is allowed (Keras's default `Input` dtype):
    # only the real data must be integer.
    k = keras.layers.Embedding(10, 3, mask_zero=True)(
        keras.Input((4,), dtype=dtype)
    )
    m = Embedding(10, 3, mask_zero=True)(lamina.Input((4,), dtype=dtype))
    assert m.shape == tuple(k.shape) == (None, 4, 3)
    assert m.dtype == "float32"
    assert m._keras_mask.shape == tuple(k._keras_mask.shape) == (None, 4)
    assert m._keras_mask.dtype == "bool"


def test_sequential_with_input_shape():
    model = lamina.Sequential([Embedding(10, 4, input_shape=(5,))])
    assert model.output_shape == (None, 5, 4)
    out = model(torch.tensor([[1, 2, 3, 4, 5]]))
    assert out.shape == (1, 5, 4)


class _Recorder(lamina.layers.Layer):
    def call(self, inputs, mask=None):
        self.seen = mask
        return inputs


class _NoMask(lamina.layers.Layer):
    def call(self, inputs):
        return inputs


def test_mask_reaches_downstream_layers():
    x = lamina.Input((3,), dtype="int32")
    recorder = _Recorder()
    model = lamina.Model(x, recorder(Embedding(5, 2, mask_zero=True)(x)))
    model(torch.tensor([[1, 0, 2]]))
    assert recorder.seen.tolist() == [[True, False, True]]
    # The engine retries a failed meta trace eagerly and warns first
    # (reported as an engine issue), hence the filter.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LaminaWarning)
        with pytest.raises(ValueError, match=r"does not support masking"):
            _NoMask()(Embedding(5, 2, mask_zero=True)(x))


def test_initial_weights():
    value = np.arange(6, dtype="float32").reshape(3, 2)
    for weights in (value, [value]):
        layer = Embedding(3, 2, weights=weights)
        assert layer.built
        np.testing.assert_array_equal(layer.get_weights()[0], value)
    assert layer(torch.tensor([2])).tolist() == [[4.0, 5.0]]


def test_weight_name_and_shape():
    layer = Embedding(6, 3)
    layer.build()
    assert [n for n, _ in layer.named_parameters()] == ["embeddings"]
    assert tuple(layer.embeddings.shape) == (6, 3)


def test_config_matches_keras_and_round_trips():
    kwargs = dict(
        input_dim=8,
        output_dim=3,
        mask_zero=True,
        embeddings_regularizer="l2",
        embeddings_constraint="non_neg",
        embeddings_initializer="ones",
    )
    k, m = keras.layers.Embedding(**kwargs), Embedding(**kwargs)
    k_config, m_config = k.get_config(), m.get_config()
    k_config.pop("name"), m_config.pop("name")
    assert m_config == k_config
    config = json.loads(json.dumps(m.get_config()))
    clone = Embedding.from_config(config)
    assert json.loads(json.dumps(clone.get_config())) == config
    keras.layers.Embedding.from_config(config)


def test_regularizer_loss_matches_keras(rng):
    k, m = _pair(input_dim=5, output_dim=2, embeddings_regularizer="l2")
    x = rng.integers(0, 5, size=(2, 3))
    k(torch.tensor(x))
    m(torch.tensor(x))
    np.testing.assert_allclose(
        float(sum(m.losses).detach()),
        float(sum(to_numpy(v) for v in k.losses)),
        rtol=1e-5,
    )


def test_empty_input():
    out = Embedding(4, 2)(torch.zeros(0, 3, dtype=torch.int64))
    assert out.shape == (0, 3, 2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_non_integer_float_inputs_refused(dtype):
    with pytest.raises(
        ValueError,
        match=r"'embedding.*' \(Embedding\) "
        r"expects integer indices.*"
        r"inputs.dtype=float",
    ):
        Embedding(5, 2)(torch.tensor([[1.5, 2.0]], dtype=dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_whole_float_indices_are_cast_as_in_keras(dtype):
    x = np.array([[1.0, 4.0]], dtype)
    k_layer, layer = keras.layers.Embedding(5, 2), Embedding(5, 2)
    k_out = k_layer(x)
    layer.build((None, 2))
    layer.set_weights(k_layer.get_weights())
    np.testing.assert_allclose(to_numpy(layer(x)), to_numpy(k_out))


@pytest.mark.parametrize(
    "bad,shown", [(5, "max index=5"), (-1, "min index=-1")]
)
def test_out_of_range_indices(bad, shown):
    x = torch.tensor([[1, bad, 2]])
    with pytest.raises(
        ValueError,
        match=r"\(Embedding\) received an index "
        r"out of range \[0, 5\) "
        r"\(input_dim=5\)\. Received: .*" + shown,
    ):
        Embedding(5, 2)(x)


@pytest.mark.parametrize(
    "arg,value",
    [
        ("input_dim", 0),
        ("input_dim", 2.5),
        ("output_dim", -1),
        ("output_dim", True),
    ],
)
def test_bad_sizes(arg, value):
    kwargs = {"input_dim": 3, "output_dim": 2, arg: value}
    with pytest.raises(
        ValueError,
        match=rf"`{arg}` of Embedding: expected "
        rf"a positive integer\. Received: "
        rf"{arg}={value}",
    ):
        Embedding(**kwargs)


def test_lora_refused():
    with pytest.raises(ValueError, match=r"Received: lora_rank=2"):
        Embedding(3, 2, lora_rank=2)


def test_extra_repr():
    assert "input_dim=3, output_dim=2, mask_zero=True" in repr(
        Embedding(3, 2, mask_zero=True)
    )
