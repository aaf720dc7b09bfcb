"""Quantized `Embedding` against Keras (torch backend) on the same float
table: weights, lookups, files both ways, bad input."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

CONFIGS = [
    ("int8", None, dict(input_dim=11, output_dim=7)),
    ("int4", None, dict(input_dim=11, output_dim=7)),
    ("int4", dict(block_size=3), dict(input_dim=9, output_dim=8)),
    (
        "int4",
        dict(block_size=-1),
        dict(input_dim=6, output_dim=5, mask_zero=True),
    ),
]


def _config(module, extra):
    return (
        None
        if extra is None
        else module.quantizers.Int4QuantizationConfig(**extra)
    )


def _pair(mode, extra, kwargs, seed=0):
    models = []
    for module in (lamina, keras):
        models.append(
            module.Sequential(
                [
                    module.Input((5,), dtype="int32"),
                    module.layers.Embedding(**kwargs, name="table"),
                ],
                name="lookup",
            )
        )
    rng = np.random.default_rng(seed)
    table = rng.normal(size=(kwargs["input_dim"], kwargs["output_dim"]))
    for model, module in zip(models, (lamina, keras)):
        model.set_weights([table.astype("float32")])
        with pytest.warns(UserWarning) if module is keras else _nothing():
            model.quantize(mode, config=_config(module, extra))
    return models


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _table(model):
    return {
        w.name: (str(w.dtype).replace("torch.", ""), to_numpy(w))
        for w in model.layers[-1].weights
    }


def _same_weights(a, b):
    ta, tb = _table(a), _table(b)
    assert ta.keys() == tb.keys()
    for name in ta:
        assert ta[name][0] == tb[name][0], name
        np.testing.assert_array_equal(ta[name][1], tb[name][1], err_msg=name)


@pytest.mark.parametrize("mode,extra,kwargs", CONFIGS)
def test_weights_and_lookups(mode, extra, kwargs, rng):
    ours, theirs = _pair(mode, extra, kwargs)
    assert [w.path for w in ours.layers[0].weights] == [
        w.path for w in theirs.layers[0].weights
    ]
    assert (
        ours.layers[0].dtype_policy.name == theirs.layers[0].dtype_policy.name
    )
    _same_weights(ours, theirs)
    x = rng.integers(0, kwargs["input_dim"], size=(3, 5)).astype("int32")
    np.testing.assert_allclose(
        to_numpy(ours(torch.tensor(x))),
        to_numpy(theirs(x)),
        rtol=1e-6,
        atol=1e-7,
    )
    if kwargs.get("mask_zero"):
        np.testing.assert_array_equal(
            to_numpy(ours.layers[0].compute_mask(torch.tensor(x), None)), x != 0
        )


@pytest.mark.parametrize("mode,extra,kwargs", CONFIGS)
def test_files_both_ways(mode, extra, kwargs, tmp_path, rng):
    ours, theirs = _pair(mode, extra, kwargs)
    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    from_keras = lamina.saving.load_model(tmp_path / "theirs.keras")
    from_lamina = keras.saving.load_model(tmp_path / "ours.keras")
    _same_weights(from_keras, theirs)
    _same_weights(ours, from_lamina)
    ours.save_weights(tmp_path / "ours.weights.h5")
    theirs.save_weights(tmp_path / "theirs.weights.h5")
    again, keras_again = _pair(mode, extra, kwargs, seed=1)
    again.load_weights(tmp_path / "theirs.weights.h5")
    keras_again.load_weights(tmp_path / "ours.weights.h5")
    _same_weights(again, theirs)
    _same_weights(ours, keras_again)
    x = rng.integers(0, kwargs["input_dim"], size=(2, 5)).astype("int32")
    np.testing.assert_allclose(
        to_numpy(from_keras(torch.tensor(x))), to_numpy(theirs(x)), rtol=1e-6
    )


def test_bad_input():
    layer = lamina.layers.Embedding(4, 3)
    with pytest.raises(ValueError, match="isn't yet built"):
        layer.quantize("int8")
    layer.build()
    with pytest.raises(NotImplementedError, match="quantization_mode=float8"):
        layer.quantize("float8")
    assert layer.quantization_mode is None  # nothing changed
    layer.quantize("int8")
    with pytest.raises(ValueError, match="already quantized"):
        layer.quantize("int8")


@pytest.mark.parametrize("tie", [True, False])
@pytest.mark.parametrize(
    "mode,extra",
    [
        ("int8", None),
        ("int4", None),
        ("int4", dict(block_size=3)),
        ("int4", dict(block_size=-1)),
    ],
)
def test_reversible_embedding(tie, mode, extra, tmp_path, rng):
    kwargs = dict(
        input_dim=11, output_dim=7, tie_weights=tie, logit_soft_cap=5.0
    )
    ours = lamina.layers.ReversibleEmbedding(**kwargs)
    theirs = keras.layers.ReversibleEmbedding(**kwargs)
    ours.build()
    theirs.build()
    theirs.set_weights([w * 3 for w in ours.get_weights()])
    ours.set_weights(theirs.get_weights())
    ours.quantize(mode, config=_config(lamina, extra))
    theirs.quantize(mode, config=_config(keras, extra))
    assert [
        (w.name, str(w.dtype).replace("torch.", ""), tuple(w.shape))
        for w in ours.weights
    ] == [(w.name, w.dtype, tuple(w.shape)) for w in theirs.weights]
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)
    x = rng.integers(0, 11, size=(3, 5)).astype("int32")
    hidden = rng.normal(size=(3, 4, 7)).astype("float32")
    for args, kw in (((x,), {}), ((hidden,), {"reverse": True})):
        np.testing.assert_allclose(
            to_numpy(ours(torch.tensor(args[0]), **kw)),
            to_numpy(theirs(args[0], **kw)),
            rtol=1e-6,
            atol=1e-6,
        )
    model = lamina.Sequential([lamina.Input((5,), dtype="int32"), ours])
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded.layers[0].get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)
    back = lamina.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        to_numpy(back.layers[0](torch.tensor(hidden), reverse=True)),
        to_numpy(theirs(hidden, reverse=True)),
        rtol=1e-6,
        atol=1e-6,
    )
