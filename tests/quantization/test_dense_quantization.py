"""Quantized `Dense` against Keras (torch backend) on the same float
weights: weights (names, shapes, dtypes, values), outputs, gradients,
`.keras` / `.weights.h5` files both ways, float8 training, bad input."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

CONFIGS = [
    ("int8", None, dict(units=6)),
    ("int8", None, dict(units=5, use_bias=False, activation="relu")),
    ("int4", None, dict(units=6)),
    ("int4", dict(block_size=4), dict(units=7)),
    ("int4", dict(block_size=-1), dict(units=5, activation="tanh")),
    ("float8", None, dict(units=6)),
]


def _config(module, mode, extra):
    if extra is None:
        return None
    return module.quantizers.Int4QuantizationConfig(**extra)


def _pair(mode, extra, kwargs, in_dim=10, seed=0):
    ours = lamina.Sequential(
        [lamina.Input((in_dim,)), lamina.layers.Dense(**kwargs, name="q")],
        name="mlp",
    )
    theirs = keras.Sequential(
        [keras.Input((in_dim,)), keras.layers.Dense(**kwargs, name="q")],
        name="mlp",
    )
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(size=w.shape).astype("float32") for w in theirs.get_weights()
    ]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    ours.quantize(mode, config=_config(lamina, mode, extra))
    with pytest.warns(UserWarning, match="InputLayer"):
        theirs.quantize(mode, config=_config(keras, mode, extra))
    return ours, theirs


def _same_weights(ours, theirs):
    """Same names, dtypes, shapes and values (order aside: Keras lists a
    float8 layer's weights in another order when built from its policy)."""

    def table(layer):
        return {
            w.name: (str(w.dtype).replace("torch.", ""), to_numpy(w))
            for w in layer.weights
        }

    a, b = table(ours.layers[-1]), table(theirs.layers[-1])
    assert a.keys() == b.keys()
    for name in a:
        assert a[name][0] == b[name][0], name
        np.testing.assert_array_equal(a[name][1], b[name][1], err_msg=name)


@pytest.mark.parametrize("mode,extra,kwargs", CONFIGS)
def test_quantized_weights_and_outputs(mode, extra, kwargs, rng):
    ours, theirs = _pair(mode, extra, kwargs)
    assert (
        ours.layers[0].dtype_policy.name == theirs.layers[0].dtype_policy.name
    )
    _same_weights(ours, theirs)
    for shape in ((4, 10), (2, 3, 10)):
        x = rng.normal(size=shape).astype("float32")
        np.testing.assert_allclose(
            to_numpy(ours.layers[0](torch.tensor(x))),
            to_numpy(theirs.layers[0](x)),
            rtol=1e-6,
            atol=1e-6,
        )


@pytest.mark.parametrize("mode,extra,kwargs", CONFIGS[:5])
def test_input_gradients(mode, extra, kwargs, rng):
    ours, theirs = _pair(mode, extra, kwargs)
    x = rng.normal(size=(3, 10)).astype("float32")
    grads = []
    for model in (ours, theirs):
        xt = torch.tensor(x, requires_grad=True)
        (
            model(xt) * torch.arange(kwargs["units"], dtype=torch.float32)
        ).sum().backward()
        grads.append(xt.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode,extra,kwargs", CONFIGS)
@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_files_both_ways(mode, extra, kwargs, suffix, tmp_path, rng):
    ours, theirs = _pair(mode, extra, kwargs)
    x = rng.normal(size=(4, 10)).astype("float32")
    expected = to_numpy(theirs(x))
    if suffix == ".keras":
        ours.save(tmp_path / "ours.keras")
        theirs.save(tmp_path / "theirs.keras")
        from_keras = lamina.saving.load_model(tmp_path / "theirs.keras")
        from_lamina = keras.saving.load_model(tmp_path / "ours.keras")
    else:
        ours.save_weights(tmp_path / "ours.weights.h5")
        theirs.save_weights(tmp_path / "theirs.weights.h5")
        from_keras, _ = _pair(mode, extra, kwargs, seed=1)
        from_keras.load_weights(tmp_path / "theirs.weights.h5")
        _, from_lamina = _pair(mode, extra, kwargs, seed=1)
        from_lamina.load_weights(tmp_path / "ours.weights.h5")
    _same_weights(from_keras, theirs)
    _same_weights(ours, from_lamina)
    for model in (from_keras, from_lamina):
        out = model(torch.tensor(x))
        np.testing.assert_allclose(
            to_numpy(out), expected, rtol=1e-6, atol=1e-6
        )


def test_float8_training_matches_keras(rng):
    ours, theirs = _pair("float8", None, dict(units=4), in_dim=6)
    x = rng.normal(size=(8, 6)).astype("float32")
    y = rng.normal(size=(8, 4)).astype("float32")
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=False)
    for a, b in zip(ours.layers[0].weights, theirs.layers[0].weights):
        np.testing.assert_allclose(
            to_numpy(a), to_numpy(b), rtol=1e-5, atol=1e-6, err_msg=b.path
        )
    # The scales moved off their initial values.
    assert float(ours.layers[0].inputs_scale) != 1.0


def test_quantized_policy_builds_quantized_weights():
    layer = lamina.layers.Dense(3, dtype="int4/2_from_float32")
    layer.build((None, 5))
    keras_layer = keras.layers.Dense(3, dtype="int4/2_from_float32")
    keras_layer.build((None, 5))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        (w.name, tuple(w.shape)) for w in keras_layer.weights
    ]
    layer.dtype_policy  # noqa: B018 - the property reads back
    with pytest.raises(ValueError, match="already quantized"):
        layer.quantize("int8")


def test_dtype_policy_setter_quantizes():
    layer = lamina.layers.Dense(3)
    layer.build((None, 4))
    layer.dtype_policy = "int8_from_float32"
    assert layer.kernel.dtype == torch.int8
    assert layer.quantization_mode == "int8"


def test_bad_input():
    layer = lamina.layers.Dense(3)
    with pytest.raises(ValueError, match="isn't yet built.*dense"):
        layer.quantize("int8")
    layer.build((None, 4))
    with pytest.raises(
        ValueError, match="Invalid quantization mode.*mode=int3"
    ):
        layer.quantize("int3")
    with pytest.raises(ValueError, match="Contradictory arguments"):
        layer.quantize(
            "int8", config=lamina.quantizers.Float8QuantizationConfig()
        )
    with pytest.raises(ValueError, match="must pass a `GPTQConfig`"):
        layer.quantize("gptq")
    layer.quantize("int8")
    with pytest.raises(
        ValueError, match="already quantized.*int8_from_float32"
    ):
        layer.quantize("int4")
    with pytest.raises(
        NotImplementedError, match="Layer Dropout does not have a `quantize`"
    ):
        lamina.layers.Dropout(0.1).quantize("int8")

    class MyDense(lamina.layers.Dense):
        pass

    sub = MyDense(2)
    sub.build((None, 3))
    with pytest.raises(NotImplementedError, match="MyDense"):
        sub.quantize("int8")
    sub.quantize("int8", type_check=False)
    assert sub.kernel.dtype == torch.int8
    half = lamina.layers.Dense(2, dtype="float16")
    half.build((None, 3))
    with pytest.raises(ValueError, match="compute_dtype='float16'"):
        half.quantize("int8")


def test_model_quantize_filters_and_errors():
    model = lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(3, name="keep"),
            lamina.layers.Dropout(0.1),
            lamina.layers.Dense(2, name="quant_me"),
        ]
    )
    model.quantize("int8", filters="quant")
    assert model.layers[0].quantization_mode is None
    assert model.layers[2].quantization_mode == "int8"
    with pytest.warns(UserWarning, match="Dropout does not have a `quantize`"):
        model.quantize("int4", filters=lambda layer: layer.name != "quant_me")
    with pytest.raises(ValueError, match="`filters` argument"):
        model.quantize("int8", filters=3)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        model.quantize("int8", bogus=1)
    with pytest.raises(ValueError, match="valid quantization structure"):
        model.quantize("awq", config=lamina.quantizers.AWQConfig(None, None))
    unbuilt = lamina.Sequential([lamina.layers.Dense(2)])
    with pytest.raises(ValueError, match="isn't yet built"):
        unbuilt.quantize("int8")


@pytest.mark.parametrize("weight_only", [True, False])
def test_custom_int8_config(weight_only, rng):
    outputs, weights, configs = [], [], []
    kernel = rng.normal(size=(6, 5)).astype("float32")
    x = rng.normal(size=(3, 6)).astype("float32")
    for module in (lamina, keras):
        layer = module.layers.Dense(5, name="d")
        layer.build((None, 6))
        layer.set_weights([kernel, np.ones(5, "float32")])
        extra = {"activation_quantizer": None} if weight_only else {}
        config = module.quantizers.Int8QuantizationConfig(
            weight_quantizer=module.quantizers.AbsMaxQuantizer(
                axis=0, value_range=(-100, 100)
            ),
            **extra,
        )
        layer.quantize(config=config)
        outputs.append(to_numpy(layer(torch.tensor(x))))
        weights.append(layer.get_weights())
        configs.append(layer.get_config()["quantization_config"])
    np.testing.assert_allclose(outputs[0], outputs[1], rtol=1e-6, atol=1e-6)
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)
    assert configs[0] == configs[1]
