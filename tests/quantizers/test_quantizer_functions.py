"""The quantizer functions against Keras's (torch backend) on random
inputs: abs-max, grouped zero-point, int4 packing, float8 scaling, fake
quantization (values and gradients)."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

LQ, KQ = lamina.quantizers, keras.quantizers


@pytest.mark.parametrize(
    "shape,axis,value_range",
    [
        ((4, 6), -1, (-127, 127)),
        ((5, 3, 4), 0, (-8, 7)),
        ((3, 4, 5), (0, 2), (-100, 90)),
    ],
)
@pytest.mark.parametrize("to_numpy_arg", [False, True])
def test_abs_max_quantize(rng, shape, axis, value_range, to_numpy_arg):
    x = rng.normal(size=shape).astype("float32") * 3
    q, s = LQ.abs_max_quantize(x, axis, value_range, to_numpy=to_numpy_arg)
    kq, ks = KQ.abs_max_quantize(x, axis, value_range, to_numpy=to_numpy_arg)
    np.testing.assert_array_equal(to_numpy(q), to_numpy(kq))
    np.testing.assert_array_equal(to_numpy(s), to_numpy(ks))
    assert q.dtype == torch.int8 and s.dtype == torch.float32


def test_abs_max_quantizer_class(rng):
    x = rng.normal(size=(3, 8)).astype("float32")
    ours, theirs = LQ.AbsMaxQuantizer(axis=0), KQ.AbsMaxQuantizer(axis=0)
    for a, b in zip(ours(x), theirs(x)):
        np.testing.assert_array_equal(to_numpy(a), to_numpy(b))
    assert ours.get_config() == theirs.get_config()
    with pytest.raises(ValueError, match="value_range=\\(-200, 127\\)"):
        LQ.AbsMaxQuantizer(value_range=(-200, 127))


@pytest.mark.parametrize(
    "shape,block", [((16, 5), 4), ((13, 6), 5), ((8, 3), 8)]
)
@pytest.mark.parametrize("to_numpy_arg", [False, True])
def test_grouped_with_zero_point(rng, shape, block, to_numpy_arg):
    x = rng.normal(size=shape).astype("float32")
    ours = LQ.abs_max_quantize_grouped_with_zero_point(
        x, block_size=block, to_numpy=to_numpy_arg
    )
    theirs = KQ.abs_max_quantize_grouped_with_zero_point(
        x, block_size=block, to_numpy=to_numpy_arg
    )
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(bits=4),
        dict(bits=4, per_channel=True),
        dict(bits=4, per_channel=True, group_size=3, signed=True),
        dict(bits=3, per_channel=True, symmetric=True),
        dict(bits=8, symmetric=True, signed=True, epsilon=1e-3),
    ],
)
def test_compute_quantization_parameters(rng, kwargs):
    from keras.src.quantizers import quantizers as kq_impl

    x = rng.normal(size=(5, 10)).astype("float32")
    x[0] = 0.5  # a constant row hits the zero-range guard
    ours = LQ.compute_quantization_parameters(torch.tensor(x), **kwargs)
    theirs = kq_impl.compute_quantization_parameters(torch.tensor(x), **kwargs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=1e-6)


@pytest.mark.parametrize(
    "shape,axis", [((5, 3), 0), ((4, 7), 1), ((3, 5, 2), -2)]
)
@pytest.mark.parametrize("dtype", ["int8", "uint8"])
def test_pack_unpack_int4(rng, shape, axis, dtype):
    low, high = (-8, 8) if dtype == "int8" else (0, 16)
    x = rng.integers(low, high, size=shape).astype(dtype)
    packed, pshape, n = LQ.pack_int4(torch.tensor(x), axis=axis, dtype=dtype)
    kpacked, kshape, kn = KQ.pack_int4(torch.tensor(x), axis=axis, dtype=dtype)
    np.testing.assert_array_equal(to_numpy(packed), to_numpy(kpacked))
    assert (pshape, n) == (tuple(kshape), kn)
    back = LQ.unpack_int4(packed, n, axis=axis, dtype=dtype)
    kback = KQ.unpack_int4(kpacked, kn, axis=axis, dtype=dtype)
    np.testing.assert_array_equal(to_numpy(back), to_numpy(kback))
    np.testing.assert_array_equal(to_numpy(back), x)


def test_int4_packing_errors():
    with pytest.raises(ValueError, match="'int8' or 'uint8', but got 'int16'"):
        LQ.pack_int4(torch.zeros(2, dtype=torch.int8), dtype="int16")
    with pytest.raises(TypeError, match="Expected int8 tensor for packing"):
        LQ.pack_int4(torch.zeros(2))
    with pytest.raises(TypeError, match="Expected int8 or uint8 tensor"):
        LQ.unpack_int4(torch.zeros(2), 4)


def test_float8_functions(rng):
    x = rng.normal(size=(6, 4)).astype("float32") * 50
    history = np.abs(rng.normal(size=(8,))).astype("float32")
    history[2] = 0.0
    for amax in (3.0, 0.0, np.inf):
        ours = LQ.compute_float8_scale(
            torch.tensor(amax), torch.tensor(0.5), 448.0, margin=1
        )
        theirs = KQ.compute_float8_scale(
            torch.tensor(amax), torch.tensor(0.5), 448.0, margin=1
        )
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs))
    np.testing.assert_array_equal(
        to_numpy(LQ.compute_float8_amax_history(x, torch.tensor(history))),
        to_numpy(KQ.compute_float8_amax_history(x, torch.tensor(history))),
    )
    for fdtype in ("float8_e4m3fn", "float8_e5m2"):
        ours = LQ.quantize_and_dequantize(
            x, torch.tensor(0.7), fdtype, "float32"
        )
        theirs = KQ.quantize_and_dequantize(
            x, torch.tensor(0.7), fdtype, "float32"
        )
        np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))


@pytest.mark.parametrize(
    "num_bits,narrow,axis", [(8, False, None), (4, True, None), (8, False, -1)]
)
def test_fake_quant_values_and_gradients(rng, num_bits, narrow, axis):
    x = rng.normal(size=(4, 3)).astype("float32") * 2
    if axis is None:
        lo, hi = np.float32(-1.5), np.float32(1.2)
    else:
        lo = np.array([-1.0, -2.0, -0.5], "float32")
        hi = np.array([1.0, 0.7, 2.5], "float32")
    results = []
    for fn in (
        LQ.fake_quant_with_min_max_vars,
        KQ.fake_quant_with_min_max_vars,
    ):
        args = [torch.tensor(v, requires_grad=True) for v in (x, lo, hi)]
        out = fn(*args, num_bits=num_bits, narrow_range=narrow, axis=axis)
        (out * torch.arange(1.0, 13.0).reshape(4, 3)).sum().backward()
        results.append([to_numpy(out)] + [to_numpy(a.grad) for a in args])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_fake_quant_symbolic():
    x = lamina.Input((3,))
    y = LQ.fake_quant_with_min_max_vars(x, -1.0, 1.0)
    assert tuple(y.shape) == (None, 3)


def test_get_serialize_deserialize():
    cases = [
        ("AbsMaxQuantizer", (), dict(axis=(0,), value_range=(-8, 7))),
        ("Int8QuantizationConfig", (), {}),
        ("Int4QuantizationConfig", (), dict(block_size=32)),
        ("Float8QuantizationConfig", (), {}),
        ("GPTQConfig", (None, None), dict(weight_bits=3, group_size=-1)),
        ("AWQConfig", (None, None), dict(num_grid_points=4)),
    ]
    for name, args, kwargs in cases:
        obj = getattr(LQ, name)(*args, **kwargs)
        config = LQ.serialize(obj)
        assert config == KQ.serialize(getattr(KQ, name)(*args, **kwargs))
        back = LQ.deserialize(config)
        assert type(back) is type(obj) and LQ.serialize(back) == config
        if name != "GPTQConfig":  # Keras's table lacks GPTQConfig
            assert KQ.serialize(KQ.deserialize(config)) == config
    assert isinstance(LQ.get("AbsMaxQuantizer"), LQ.AbsMaxQuantizer)
    assert LQ.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret quantizer"):
        LQ.get("no_such_quantizer")
    assert lamina.Quantizer is LQ.Quantizer


def test_config_errors():
    with pytest.raises(ValueError, match="block_size=0"):
        LQ.Int4QuantizationConfig(block_size=0)
    with pytest.raises(ValueError, match="does not support custom quantizers"):
        LQ.Int4QuantizationConfig(
            weight_quantizer=LQ.AbsMaxQuantizer(value_range=(-8, 7))
        )
    with pytest.raises(ValueError, match="value_range=\\(-127, 127\\)"):
        LQ.Int4QuantizationConfig(
            weight_quantizer=LQ.AbsMaxQuantizer(), block_size=None
        )
    with pytest.raises(ValueError, match="output_dtype='int8'"):
        LQ.Int8QuantizationConfig(
            weight_quantizer=LQ.AbsMaxQuantizer(
                output_dtype="int16", value_range=(-8, 7)
            )
        )
    with pytest.raises(ValueError, match="Supported values are 2, 3, 4, and 8"):
        LQ.GPTQConfig(None, None, weight_bits=5)
    with pytest.raises(ValueError, match="AWQ only supports 4-bit"):
        LQ.AWQConfig(None, None, weight_bits=8)
    with pytest.raises(ValueError, match="group_size"):
        LQ.AWQConfig(None, None, group_size=0)
