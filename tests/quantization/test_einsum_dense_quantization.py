"""Quantized `EinsumDense` against Keras (torch backend): weights, outputs,
input gradients and `.keras` files both ways over several equations.

Keras 3.15 cannot quantize equations with `...` (its analysis calls
`len()` on the input rank); lamina can, and its result is checked against
the same equation written with explicit labels."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

EQUATIONS = [
    ("ab,bc->ac", (6,), (8,), "c"),
    ("abc,cd->abd", (3, 6), (3, 8), "d"),
    ("abc,cde->abde", (3, 6), (3, 4, 5), "de"),
    ("abcd,cde->abe", (3, 4, 6), (3, 5), None),
]
MODES = [
    ("int8", None),
    ("float8", None),
    ("int4", None),
    ("int4", dict(block_size=-1)),
    ("int4", dict(block_size=2)),
]


def _config(module, extra):
    return (
        None
        if extra is None
        else module.quantizers.Int4QuantizationConfig(**extra)
    )


def _pair(equation, in_shape, out_shape, bias, mode, extra, seed=0):
    ours = lamina.layers.EinsumDense(equation, out_shape, bias_axes=bias)
    theirs = keras.layers.EinsumDense(equation, out_shape, bias_axes=bias)
    ours.build((None,) + in_shape)
    theirs.build((None,) + in_shape)
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(size=w.shape).astype("float32") for w in theirs.get_weights()
    ]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    ours.quantize(mode, config=_config(lamina, extra))
    theirs.quantize(mode, config=_config(keras, extra))
    return ours, theirs


@pytest.mark.parametrize("equation,in_shape,out_shape,bias", EQUATIONS)
@pytest.mark.parametrize("mode,extra", MODES)
def test_weights_outputs_gradients(
    equation, in_shape, out_shape, bias, mode, extra, rng
):
    ours, theirs = _pair(equation, in_shape, out_shape, bias, mode, extra)
    assert ours.dtype_policy.name == theirs.dtype_policy.name
    assert [
        (w.name, str(w.dtype).replace("torch.", ""), tuple(w.shape))
        for w in ours.weights
    ] == [(w.name, w.dtype, tuple(w.shape)) for w in theirs.weights]
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)
    x = rng.normal(size=(2,) + in_shape).astype("float32")
    outs, grads = [], []
    for layer in (ours, theirs):
        xt = torch.tensor(x, requires_grad=True)
        y = layer(xt)
        (y * torch.linspace(-1, 1, y.numel()).reshape(y.shape)).sum().backward()
        outs.append(to_numpy(y))
        grads.append(xt.grad.numpy())
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode,extra", MODES)
def test_files_both_ways(mode, extra, tmp_path, rng):
    equation, in_shape, out_shape, bias = EQUATIONS[1]
    ours, theirs = _pair(equation, in_shape, out_shape, bias, mode, extra)
    x = rng.normal(size=(2,) + in_shape).astype("float32")
    models = {}
    for name, module, layer in (
        ("ours", lamina, ours),
        ("theirs", keras, theirs),
    ):
        model = module.Sequential([module.Input(in_shape), layer])
        model.save(tmp_path / f"{name}.keras")
        models[name] = model
    from_keras = lamina.saving.load_model(tmp_path / "theirs.keras")
    from_lamina = keras.saving.load_model(tmp_path / "ours.keras")
    expected = to_numpy(theirs(x))
    for model in (from_keras, from_lamina):
        got = to_numpy(
            model.layers[0](torch.tensor(x) if model is from_keras else x)
        )
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "mode,extra", [("int8", None), ("int4", dict(block_size=2))]
)
def test_ellipsis_equation_matches_explicit_labels(mode, extra, rng):
    layers = []
    for equation in ("...b,bc->...c", "xyb,bc->xyc"):
        layer = lamina.layers.EinsumDense(
            equation, (8,) if "..." in equation else (3, 8), bias_axes="c"
        )
        layer.build((None, 3, 6))
        layers.append(layer)
    layers[0].set_weights(layers[1].get_weights())
    for layer in layers:
        layer.quantize(mode, config=_config(lamina, extra))
    x = torch.tensor(rng.normal(size=(2, 3, 6)).astype("float32"))
    torch.testing.assert_close(layers[0](x), layers[1](x))


def test_subclass_is_refused():
    class MyEinsum(lamina.layers.EinsumDense):
        pass

    layer = MyEinsum("ab,bc->ac", 4)
    layer.build((None, 3))
    with pytest.raises(
        NotImplementedError, match="MyEinsum does not have a `quantize`"
    ):
        layer.quantize("int8")


def test_float8_training_matches_keras(rng):
    equation, in_shape, out_shape, bias = EQUATIONS[1]
    models = []
    for module in (lamina, keras):
        layer = module.layers.EinsumDense(
            equation, out_shape, bias_axes=bias, name="q"
        )
        models.append(module.Sequential([module.Input(in_shape), layer]))
    weights = [
        rng.normal(size=w.shape).astype("float32")
        for w in models[1].get_weights()
    ]
    x = rng.normal(size=(8,) + in_shape).astype("float32")
    y = rng.normal(size=(8,) + out_shape).astype("float32")
    for model in models:
        model.set_weights(weights)
        model.layers[0].quantize("float8")
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=False)
    for a, b in zip(models[0].layers[0].weights, models[1].layers[0].weights):
        np.testing.assert_allclose(
            to_numpy(a), to_numpy(b), rtol=1e-5, atol=1e-6, err_msg=b.name
        )
