"""GPTQ and AWQ (`model.quantize("gptq" | "awq", config=...)`) against
Keras 3.15 (torch backend): the same model, weights and calibration data
give the same quantized weights (names, dtypes, shapes, values) and
outputs; files move both ways; bad input fails before any layer changes.

Keras 3.15 captures each layer's calibration inputs by replacing
`layer.call`, but a quantized Keras layer runs `quantized_call` instead,
so its Hessians (GPTQ) and activation ranges (AWQ) stay zero and its GPTQ
degenerates to rounding. `_keras_sees_inputs` makes Keras's capture hook
`quantized_call`, the same hook one level down, so both libraries run the
algorithm on the same statistics; `test_keras_capture_misses_inputs`
pins the Keras behaviour that the shim works around.
"""

import contextlib
import warnings

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

TEXT = ["hello world, some calibration text", "another sample for gptq"]


class Tokenizer:
    """A trivial tokenizer: characters to ids below the vocabulary."""

    def tokenize(self, text):
        return np.array([ord(c) % 20 for c in text], dtype="int32")


def _capture(update):
    @contextlib.contextmanager
    def stream(layers_map, objects):
        originals = {n: layer.quantized_call for n, layer in layers_map.items()}

        def hook_for(name):
            def hook(*args, **kwargs):
                inputs = args[0] if args else kwargs["inputs"]
                obj = objects[name]
                getattr(obj, update)(keras.ops.reshape(inputs, (-1, obj.rows)))
                return originals[name](*args, **kwargs)

            return hook

        for name, layer in layers_map.items():
            layer.quantized_call = hook_for(name)
        try:
            yield
        finally:
            for name, layer in layers_map.items():
                layer.quantized_call = originals[name]

    return stream


@pytest.fixture
def _keras_sees_inputs(monkeypatch):
    from keras.src.quantizers import awq_core, gptq_core

    hessians = _capture("update_hessian_with_batch")
    ranges = _capture("update_activation_magnitudes")
    monkeypatch.setattr(gptq_core, "stream_hessians", hessians)
    monkeypatch.setattr(awq_core, "stream_activations", ranges)


def _dense_model(module):
    inputs = module.Input((None,), dtype="int32")
    emb = module.layers.Embedding(20, 16, name="emb")
    d1 = module.layers.Dense(24, activation="relu", name="d1")
    d2 = module.layers.Dense(16, name="d2")
    model = module.Model(inputs, d2(d1(emb(inputs))), name="lm")
    return model, [emb], [d1, d2]


def _einsum_model(module):
    """An attention-like block of two 3D-kernel EinsumDense layers (a
    projection to heads, then back), then a Dense block."""

    class Block(module.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.qkv = module.layers.EinsumDense(
                "abc,cde->abde", (None, 2, 4), bias_axes="de", name="qkv"
            )
            self.out = module.layers.EinsumDense(
                "abcd,cde->abe", (None, 16), name="out"
            )

        def call(self, x):
            return self.out(self.qkv(x))

    inputs = module.Input((None,), dtype="int32")
    emb = module.layers.Embedding(20, 16, name="emb")
    block = Block(name="block")
    head = module.layers.Dense(8, name="head")
    model = module.Model(inputs, head(block(emb(inputs))), name="lm")
    return model, [emb], [block, head]


def _config(module, mode, pre, blocks, dataset=TEXT, **kwargs):
    cls = module.quantizers.GPTQConfig
    if mode == "awq":
        cls = module.quantizers.AWQConfig
    structure = {"pre_block_layers": pre, "sequential_blocks": blocks}
    kwargs = {"num_samples": 4, "sequence_length": 6, **kwargs}
    return cls(
        dataset, Tokenizer(), quantization_layer_structure=structure, **kwargs
    )


def _pair(mode, kwargs, make=_dense_model, dataset=TEXT, seed=0, **quantize):
    ours, our_pre, our_blocks = make(lamina)
    theirs, their_pre, their_blocks = make(keras)
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(size=w.shape).astype("float32") for w in theirs.get_weights()
    ]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # layers without a quantized form
        theirs.quantize(
            mode,
            config=_config(
                keras, mode, their_pre, their_blocks, dataset, **kwargs
            ),
            **quantize,
        )
        ours.quantize(
            mode,
            config=_config(
                lamina, mode, our_pre, our_blocks, dataset, **kwargs
            ),
            **quantize,
        )
    return ours, theirs


def _table(layer):
    return {
        w.path: (str(w.dtype).replace("torch.", ""), to_numpy(w))
        for w in layer.weights
    }


def _same_model(ours, theirs, rng):
    for a, b in zip(ours.layers, theirs.layers):
        assert a.dtype_policy.name == b.dtype_policy.name, a.name
        ta, tb = _table(a), _table(b)
        assert ta.keys() == tb.keys(), a.name
        for name in ta:
            assert ta[name][0] == tb[name][0], (a.name, name)
            # Integer weights must be equal; float scales may differ in
            # the last bit (reduction order depends on the thread count).
            np.testing.assert_allclose(
                ta[name][1], tb[name][1], rtol=1e-6, err_msg=f"{a.name}/{name}"
            )
    x = rng.integers(0, 20, size=(3, 7))
    np.testing.assert_allclose(
        to_numpy(ours(torch.tensor(x))),
        to_numpy(theirs(x)),
        rtol=1e-5,
        atol=1e-5,
    )


CONFIGS = [
    ("gptq", {}),
    ("gptq", dict(group_size=4, activation_order=True, symmetric=True)),
    ("gptq", dict(weight_bits=3, group_size=8, hessian_damping=0.1)),
    ("gptq", dict(weight_bits=8, group_size=-1, per_channel=False)),
    ("gptq", dict(weight_bits=2, group_size=-1, activation_order=True)),
    ("awq", {}),
    ("awq", dict(group_size=4, num_grid_points=7)),
]


@pytest.mark.usefixtures("_keras_sees_inputs")
@pytest.mark.parametrize("mode,kwargs", CONFIGS)
def test_dense_stack_matches_keras(mode, kwargs, rng):
    ours, theirs = _pair(mode, kwargs)
    _same_model(ours, theirs, rng)
    assert "kernel" not in ours.layers[2]._weight_info  # float one dropped


@pytest.mark.usefixtures("_keras_sees_inputs")
@pytest.mark.parametrize(
    "mode,kwargs", [("gptq", dict(group_size=8)), ("awq", dict(group_size=-1))]
)
def test_einsum_dense_matches_keras(mode, kwargs, rng):
    ours, theirs = _pair(mode, kwargs, make=_einsum_model)
    _same_model(ours, theirs, rng)
    # Keras's config would serialize the structure's layers, recursing.
    theirs.layers[2].qkv.quantization_config.quantization_layer_structure = None
    for name in ("qkv", "out"):
        a = getattr(ours.layers[2], name).get_config()
        b = getattr(theirs.layers[2], name).get_config()
        key = "gptq_unpacked_column_size"
        assert (
            a.get(key)
            == b.get(key)
            == ({"qkv": 8, "out": 16}[name] if mode == "gptq" else None)
        )
        b["quantization_config"] = None
        clone = lamina.layers.EinsumDense.from_config(b)  # Keras's config
        assert clone.get_config().get(key) == b.get(key)


@pytest.mark.usefixtures("_keras_sees_inputs")
@pytest.mark.parametrize("mode", ["gptq", "awq"])
def test_filters_leave_other_layers_float(mode, rng):
    ours, theirs = _pair(mode, {}, filters="d2")
    _same_model(ours, theirs, rng)
    assert ours.layers[2].quantization_mode is None
    assert ours.layers[3].quantization_mode == mode


@pytest.mark.usefixtures("_keras_sees_inputs")
def test_token_array_dataset(rng):
    dataset = [rng.integers(0, 20, size=(9,)) for _ in range(3)]
    ours, theirs = _pair("gptq", dict(group_size=8), dataset=dataset)
    _same_model(ours, theirs, rng)


@pytest.mark.usefixtures("_keras_sees_inputs")
@pytest.mark.parametrize("mode,kwargs", [CONFIGS[1], CONFIGS[6]])
@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_files_both_ways(mode, kwargs, suffix, tmp_path, rng):
    """lamina writes every weight Keras's loader reads, so Keras loads
    lamina's files. Keras 3.15 writes its GPTQ/AWQ layers without
    `kernel_zero` (its `save_own_variables` skips it), so neither Keras
    nor lamina can load Keras's files: lamina says which weights lack."""
    ours, theirs = _pair(mode, kwargs)
    # Keras would serialize the structure's layers, recursing forever.
    theirs.layers[2].quantization_config.quantization_layer_structure = None
    x = rng.integers(0, 20, size=(2, 5))
    expected = to_numpy(theirs(x))
    our_file, their_file = tmp_path / f"o{suffix}", tmp_path / f"t{suffix}"
    if suffix == ".keras":
        ours.save(our_file)
        theirs.save(their_file)
        loaded = keras.saving.load_model(our_file)
        with pytest.raises(ValueError, match=r"file has \d weights"):
            lamina.saving.load_model(their_file)
    else:
        ours.save_weights(our_file)
        theirs.save_weights(their_file)
        # The same structure, other weights: loading replaces them all.
        target, loaded = _pair(mode, kwargs, seed=1)
        loaded.load_weights(our_file)
        with pytest.raises(ValueError, match=r"file has \d weights"):
            target.load_weights(their_file)
    np.testing.assert_allclose(to_numpy(loaded(x)), expected, atol=1e-5)
    for a, b in zip(loaded.layers, theirs.layers):
        for va, vb in zip(a.weights, b.weights):
            np.testing.assert_array_equal(to_numpy(va), to_numpy(vb))
    with pytest.raises(ValueError, match=r"expected \d variables"):
        if suffix == ".keras":
            keras.saving.load_model(their_file)
        else:
            loaded.load_weights(their_file)  # Keras cannot read its own


def test_keras_capture_misses_inputs():
    """Without the shim Keras's GPTQ sees a zero Hessian, which damping
    makes `1.01 * I`: its levels are lamina's GPTQ on that Hessian."""
    from lamina.quantization.gptq import gptq_quantize_matrix
    from lamina.quantizers.grouped import compute_quantization_parameters

    _, theirs = _pair("gptq", {})
    levels = keras.quantizers.unpack_int4(
        theirs.layers[2].quantized_kernel, 24, axis=0, dtype="uint8"
    )
    rng = np.random.default_rng(0)  # _pair's weights: emb, then d1's kernel
    rng.normal(size=(20, 16))
    kernel = torch.tensor(rng.normal(size=(16, 24)).astype("float32"))
    expected = gptq_quantize_matrix(
        kernel.t(),
        torch.eye(16) / 1.01,
        params=lambda w: compute_quantization_parameters(
            w, bits=4, per_channel=True
        ),
    )[0]
    np.testing.assert_array_equal(to_numpy(levels), expected.numpy())


def test_uncalibrated_layer_computes_in_float(rng):
    layer = lamina.layers.Dense(5)
    x = torch.tensor(rng.normal(size=(3, 4)).astype("float32"))
    expected = layer(x)
    layer.quantize(config=lamina.quantizers.GPTQConfig(None, None))
    assert layer.dtype_policy.name == "gptq/4/128_from_float32"
    assert layer.quantized_kernel.shape == (3, 4)
    torch.testing.assert_close(layer(x), expected)


@pytest.mark.parametrize(
    "change,error,match",
    [
        (dict(mode="int3"), ValueError, "Invalid quantization mode"),
        (dict(config=None), ValueError, "must pass a `GPTQConfig`"),
        (dict(config="int8cfg"), ValueError, "Contradictory arguments"),
        (dict(config=3), ValueError, "must be an instance of"),
        (dict(structure=None), ValueError, "valid quantization structure"),
        (dict(blocks=[]), ValueError, "No sequential blocks"),
        (dict(tokenizer=None), ValueError, "requires a dataset and a"),
        (dict(dataset=[]), ValueError, "Provided dataset is empty"),
        (dict(dataset=5), TypeError, "must be an iterable"),
        (dict(dataset=[np.zeros(0)]), ValueError, "Not enough tokens"),
    ],
)
def test_bad_input(change, error, match):
    model, pre, blocks = _dense_model(lamina)
    structure = {"pre_block_layers": pre, "sequential_blocks": blocks}
    if "blocks" in change:
        structure["sequential_blocks"] = change["blocks"]
    config = lamina.quantizers.GPTQConfig(
        change.get("dataset", TEXT),
        change.get("tokenizer", Tokenizer()),
        quantization_layer_structure=change.get("structure", structure),
    )
    config = change.get("config", config)
    if config == "int8cfg":
        config = lamina.quantizers.Int8QuantizationConfig()
    with pytest.raises(error, match=match):
        model.quantize(change.get("mode", "gptq"), config=config)
    assert all(layer.quantization_mode is None for layer in model.layers)


def test_unbuilt_model_and_structure_hook():
    model = lamina.Sequential([lamina.layers.Dense(2)])
    config = lamina.quantizers.AWQConfig(TEXT, Tokenizer())
    with pytest.raises(ValueError, match="valid quantization structure"):
        model.quantize("awq", config=config)

    class LM(lamina.Model):
        def __init__(self):
            super().__init__()
            self.emb = lamina.layers.Embedding(20, 8)
            self.dense = lamina.layers.Dense(4)

        def call(self, x):
            return self.dense(self.emb(x))

        def get_quantization_layer_structure(self, mode):
            return {
                "pre_block_layers": [self.emb],
                "sequential_blocks": [self.dense],
            }

    lm = LM()
    with pytest.raises(ValueError, match="isn't yet built"):
        lm.quantize("awq", config=config)
    lm(torch.zeros(1, 3, dtype=torch.int32))
    with pytest.warns(UserWarning, match="quantization_mode=awq"):
        lm.quantize("awq", config=config)
    assert lm.dense.is_awq_calibrated
    assert lm.dense.awq_scales.shape == (8,)
