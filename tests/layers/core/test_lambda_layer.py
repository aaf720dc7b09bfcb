import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.core.lambda_layer import Lambda
from lamina.layers.core.masking import Masking
from lamina.saving import serialization
from tests.keras_oracle import keras, to_numpy


@lamina.saving.register_keras_serializable(package="lamina_tests")
def _double(x):
    return x * 2


def _both(fn, inputs_np, **kwargs):
    k = keras.layers.Lambda(fn, **kwargs)
    m = Lambda(fn, **kwargs)
    as_t = (
        (lambda a: [torch.tensor(v) for v in a])
        if isinstance(inputs_np, list)
        else torch.tensor
    )
    return k(as_t(inputs_np)), m(as_t(inputs_np))


@pytest.mark.parametrize(
    "fn,kwargs",
    [
        (lambda x: x**2, {}),
        (lambda x, scale: x * scale, {"arguments": {"scale": 3.0}}),
        (lambda x: torch.cumsum(x, dim=1), {}),
    ],
)
def test_single_input_matches_keras(rng, fn, kwargs):
    x = rng.normal(size=(2, 4)).astype("float32")
    k, m = _both(fn, x, **kwargs)
    np.testing.assert_allclose(to_numpy(m), to_numpy(k), rtol=1e-6)


def test_multiple_inputs_and_outputs(rng):
    a, b = (rng.normal(size=(2, 3)).astype("float32") for _ in range(2))

    def fn(xs):
        return xs[0] * xs[1], xs[0] - xs[1]

    k, m = _both(fn, [a, b])
    for k_out, m_out in zip(k, m):
        np.testing.assert_allclose(to_numpy(m_out), to_numpy(k_out))
    sym = Lambda(fn)([lamina.Input((3,)), lamina.Input((3,))])
    k_sym = keras.layers.Lambda(fn)([keras.Input((3,)), keras.Input((3,))])
    assert [t.shape for t in sym] == [tuple(t.shape) for t in k_sym]


@pytest.mark.parametrize("output_shape", [(2,), lambda s: (s[0], 2)])
def test_output_shape_used_instead_of_tracing(output_shape):
    calls = []

    def fn(x):
        calls.append(x.device.type)
        return x[:, :2]

    out = Lambda(fn, output_shape=output_shape)(lamina.Input((5,)))
    k_out = keras.layers.Lambda(fn, output_shape=output_shape)(
        keras.Input((5,))
    )
    assert out.shape == tuple(k_out.shape) == (None, 2)
    assert calls == []  # `fn` never ran for the symbolic call


def test_output_shape_for_several_outputs():
    layer = Lambda(lambda x: (x, x[:, :1]), output_shape=[(4,), (1,)])
    outs = layer(lamina.Input((4,)))
    assert [o.shape for o in outs] == [(None, 4), (None, 1)]
    assert layer.compute_output_shape((None, 4)) == [(None, 4), (None, 1)]


def test_mask_callable_and_tensor():
    x = lamina.Input((3, 2))
    masked = Masking()(x)
    cut = Lambda(lambda t: t[:, :2], mask=lambda t, m: m[:, :2])
    assert cut(masked)._keras_mask.shape == (None, 2)
    given = Lambda(
        lambda t: t[:, :2], output_shape=(2, 2), mask=lambda t, m: m[:, :2]
    )(masked)
    assert given._keras_mask.shape == (None, 2)
    data = torch.tensor([[[1.0, 1.0], [0.0, 0.0], [2.0, 0.0]]])
    out = cut(Masking()(data))
    assert out._keras_mask.tolist() == [[True, False]]
    fixed = torch.tensor([[True, False]])
    out = Lambda(lambda t: t, mask=fixed)(torch.ones(1, 2))
    assert out._keras_mask is fixed


def test_no_mask_drops_the_incoming_mask():
    x = lamina.Input((3, 2))
    out = Lambda(lambda t: t * 2)(Masking()(x))
    assert out._keras_mask is None


def test_function_receives_mask_and_training():
    seen = {}

    def fn(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    data = torch.tensor([[[1.0], [0.0]]])
    Lambda(fn)(Masking()(data), training=True)
    assert seen["mask"].tolist() == [[True, False]]
    assert seen["training"] is True


def test_sequential_with_input_shape():
    model = lamina.Sequential([Lambda(lambda x: x * 2, input_shape=(3,))])
    assert model.output_shape == (None, 3)
    assert model(torch.ones(1, 3)).tolist() == [[2.0, 2.0, 2.0]]


def test_config_format_matches_keras():
    fn = lambda x: x + 1  # noqa: E731
    k, m = (
        keras.layers.Lambda(fn, output_shape=(3,)),
        Lambda(fn, output_shape=(3,)),
    )
    k_config, m_config = k.get_config(), m.get_config()
    k_config.pop("name"), m_config.pop("name")
    assert m_config == k_config
    assert m_config["function"]["class_name"] == "__lambda__"


def _json(layer):
    return json.loads(json.dumps(layer.get_config()))


def test_lambda_refused_in_safe_mode():
    config = _json(Lambda(lambda x: x + 1))
    with pytest.raises(
        ValueError,
        match=r"\(Lambda\): refused to "
        r"deserialize the Python lambda "
        r"stored in its `function`.*"
        r"safe_mode=False.*"
        r"enable_unsafe_deserialization",
    ):
        Lambda.from_config(config)
    config = _json(Lambda(_double, output_shape=lambda s: s))
    with pytest.raises(ValueError, match=r"stored in its `output_shape`"):
        Lambda.from_config(config)
    config = _json(Lambda(_double, mask=lambda x, m: m))
    with pytest.raises(ValueError, match=r"stored in its `mask`"):
        Lambda.from_config(config)
    # Through the generic loader (safe mode by default) too.
    with pytest.raises(ValueError, match=r"refused to deserialize"):
        serialization.deserialize_keras_object(
            serialization.serialize_keras_object(Lambda(lambda x: x)),
            custom_objects={"Lambda": Lambda},
        )


def test_lambda_loads_when_allowed(monkeypatch):
    scale = 3.0
    layer = Lambda(
        lambda x, offset=1.0: x * scale + offset,
        output_shape=lambda s: s,
        mask=lambda x, m: None,
    )
    config = _json(layer)
    clone = Lambda.from_config(config, safe_mode=False)
    assert clone(torch.ones(1, 2)).tolist() == [[4.0, 4.0]]
    assert clone.compute_output_shape((None, 2)) == (None, 2)
    loaded = serialization.deserialize_keras_object(
        serialization.serialize_keras_object(layer),
        safe_mode=False,
        custom_objects={"Lambda": Lambda},
    )
    assert loaded(torch.ones(1)).tolist() == [4.0]
    monkeypatch.setitem(lamina.config._settings, "unsafe_deserialization", True)
    assert Lambda.from_config(config)(torch.zeros(1)).tolist() == [1.0]


def test_keras_and_lamina_read_each_other():
    ours = _json(Lambda(lambda x: x - 1))
    assert to_numpy(
        keras.layers.Lambda.from_config(ours, safe_mode=False)(torch.ones(2))
    ).tolist() == [0.0, 0.0]
    theirs = json.loads(
        json.dumps(keras.layers.Lambda(lambda x: x * 5).get_config())
    )
    assert Lambda.from_config(theirs, safe_mode=False)(
        torch.ones(1)
    ).tolist() == [5.0]


def test_registered_function_and_ops_round_trip_safely():
    layer = Lambda(_double, output_shape=(2,), arguments={})
    clone = Lambda.from_config(_json(layer))
    assert clone.function is _double
    assert clone._output_shape == (2,)
    clone = Lambda.from_config(_json(Lambda(lamina.ops.square)))
    assert clone(torch.tensor([3.0])).tolist() == [9.0]


def test_tensor_mask_round_trips():
    fixed = torch.tensor([[True, False]])
    clone = Lambda.from_config(_json(Lambda(_double, mask=fixed)))
    assert torch.equal(clone.mask, fixed)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"function": 3}, r"`function` of Lambda: expected a callable"),
        (
            {"function": _double, "arguments": [1]},
            r"`arguments` of Lambda: expected a dict",
        ),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Lambda(**kwargs)
