import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from lamina.engine.symbolic import SymbolicTensor
from tests.ops.helpers import assert_same
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        3,
        2**40,
        True,
        [1, 2],
        [1.0, 2],
        [True, 1],
        [],
        [[1, 2], [3, 4]],
        np.float64(1.5),
        np.int64(3),
        np.array([1.0, 2.0]),
        np.array([1, 2], "uint32"),
        np.array([1, 2], "uint16"),
        np.array([True]),
        [np.float64(1.0), 2.0],
        (np.int8(1), np.int8(2)),
        np.array([[1, 2], [3, 4]])[:, ::-1],
    ],
)
def test_convert_to_tensor_matches_keras(value):
    check("convert_to_tensor", value)


@pytest.mark.parametrize(
    "dtype",
    [
        "float16",
        "int32",
        "bool",
        "bfloat16",
        "float64",
        "uint8",
        int,
        float,
        "int",
    ],
)
def test_convert_to_tensor_with_dtype_matches_keras(dtype):
    check("convert_to_tensor", [0, 1, 2], dtype=dtype)


def test_convert_to_tensor_of_tensors_stacks_and_keeps_device():
    check("convert_to_tensor", [torch.ones(2), torch.zeros(2)])
    t = torch.ones(2, device="meta")
    assert lops.convert_to_tensor(t) is t


def test_convert_to_tensor_bad_values_raise():
    with pytest.raises(TypeError, match=r"convert_to_tensor.*Received: x='a'"):
        lops.convert_to_tensor("a")
    with pytest.raises(ValueError, match=r"sparse=True"):
        lops.convert_to_tensor([1.0], sparse=True)
    with pytest.raises(ValueError, match=r"`ops.convert_to_tensor`.*Invalid"):
        lops.convert_to_tensor([1.0], dtype="float7")


def test_floatx_governs_python_floats():
    lamina.config.set_floatx("float16")
    try:
        assert lops.convert_to_tensor(1.5).dtype == torch.float16
        assert lops.add(np.ones(2, "int32"), 1.5).dtype == torch.float16
    finally:
        lamina.config.set_floatx("float32")


@pytest.mark.parametrize(
    "dtype",
    [
        "float32",
        "int32",
        "bool",
        "float16",
        "int8",
        "bfloat16",
        torch.int64,
        np.uint8,
    ],
)
@pytest.mark.parametrize("x_dtype", ["float32", "int32", "bool"])
def test_cast_matches_keras(x_dtype, dtype):
    check("cast", rand((2, 3), x_dtype), dtype)


def test_cast_returns_the_same_tensor_when_nothing_changes():
    x = torch.ones(2)
    assert lops.cast(x, "float32") is x


@pytest.mark.parametrize("dtype", ["float31", "string", object])
def test_cast_to_unknown_dtype_raises(dtype):
    with pytest.raises(ValueError, match=r"`ops.cast`.*Received: dtype="):
        lops.cast(np.ones(2), dtype)


def test_convert_to_numpy_matches_keras():
    for x in (
        torch.ones(2, requires_grad=True),
        [torch.ones(2)] * 2,
        torch.ones(2, dtype=torch.bfloat16),
        3.0,
    ):
        a, b = lops.convert_to_numpy(x), kops.convert_to_numpy(x)
        assert isinstance(a, np.ndarray) and a.dtype == b.dtype
        np.testing.assert_array_equal(a.astype("float32"), b.astype("float32"))


def test_convert_to_numpy_of_a_symbolic_tensor_raises():
    with pytest.raises(ValueError, match=r"cannot convert a symbolic tensor"):
        lops.convert_to_numpy(SymbolicTensor((None, 2)))


def test_queries_work_on_tensors_and_symbolic_tensors():
    x = torch.zeros(2, 3, dtype=torch.int32)
    sym = SymbolicTensor((None, 3), dtype="float16")
    assert lops.shape(x) == kops.shape(x) == (2, 3)
    assert lops.shape(sym) == (None, 3)
    assert lops.dtype(x) == kops.dtype(x) == "int32"
    assert lops.dtype(sym) == "float16"
    assert lops.ndim(sym) == 2
    assert lops.is_tensor(x) and not lops.is_tensor(np.ones(2))
    assert not lops.is_tensor(sym)
    assert lops.shape([[1, 2]]) == (1, 2)


def test_stop_gradient_matches_keras_and_blocks_gradients():
    w = torch.ones(3, requires_grad=True)
    check("stop_gradient", w * 2)
    (lops.stop_gradient(w * 2) * w).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0, 2.0])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_unstack_matches_keras(axis):
    check("unstack", torch.tensor(rand((2, 3, 4))), axis=axis)
    with pytest.raises(ValueError, match=r"`ops.unstack`.*num=7"):
        lops.unstack(rand((2, 3)), num=7)


@pytest.mark.parametrize(
    "pred", [True, False, torch.tensor(True), np.array(False)]
)
def test_cond_matches_keras(pred):
    assert_same(
        lops.cond(pred, lambda: torch.ones(2), lambda: torch.zeros(2)),
        kops.cond(pred, lambda: torch.ones(2), lambda: torch.zeros(2)),
    )


def test_cond_takes_the_true_branch_while_tracing_on_meta():
    pred = torch.empty((), dtype=torch.bool, device="meta")
    assert lops.cond(pred, lambda: "yes", lambda: "no") == "yes"


@pytest.mark.parametrize("max_iter", [None, 2])
def test_while_loop_matches_keras(max_iter):
    def cond(i, x):
        return i < 5

    def body(i, x):
        return i + 1, x * 2

    args = ((0, torch.ones(2)),)
    assert_same(
        lops.while_loop(cond, body, *args, maximum_iterations=max_iter),
        kops.while_loop(cond, body, *args, maximum_iterations=max_iter),
    )
    single = lops.while_loop(lambda x: x < 10, lambda x: x + 4, 1)
    assert single.item() == 13


def test_fori_loop_matches_keras():
    def body(i, x):
        return x + i

    assert_same(
        lops.fori_loop(0, 5, body, torch.zeros(2)),
        kops.fori_loop(0, 5, body, torch.zeros(2)),
    )
    assert lops.fori_loop(2, torch.tensor(4), lambda i, v: v * i, 1) == 6
