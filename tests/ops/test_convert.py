import numpy as np
import pytest
import torch

from lamina.ops._convert import canonicalize_axes
from lamina.ops._convert import canonicalize_axis
from lamina.ops._convert import operands
from lamina.ops._convert import same_device
from lamina.ops._convert import scalar_operand
from lamina.ops._convert import to_tensor


def test_tensors_pass_through_untouched():
    t = torch.ones(2, device="meta")
    assert to_tensor(t) is t
    assert to_tensor(t, dtype="float16").dtype == torch.float16


def test_numpy_arrays_are_copied_not_shared():
    arr = np.ones(3, "float32")
    t = to_tensor(arr)
    arr[0] = 5.0
    assert t.tolist() == [1.0, 1.0, 1.0]


def test_nested_lists_with_tensors_are_stacked():
    out = to_tensor([[torch.tensor(1.0), 2.0], [3, 4]])
    assert out.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_ragged_lists_raise_type_error():
    with pytest.raises((TypeError, ValueError)):
        to_tensor([[1, 2], [3]])


def test_operands_put_arrays_on_the_tensor_device():
    t = torch.ones(2, device="meta")
    a, b, c = operands(t, [1.0, 2.0], 3.0)
    assert a is t and b.device.type == "meta"
    # Python scalars stay 0-d CPU tensors, which torch treats as scalars.
    assert c.device.type == "cpu" and c.ndim == 0
    assert [x.device.type for x in same_device(t, 3.0)] == ["meta", "meta"]


def test_scalar_operands_are_cached_but_zero_and_nan_are_not():
    assert scalar_operand(2.5) is scalar_operand(2.5)
    assert scalar_operand(2.5) is not scalar_operand(2)
    assert scalar_operand(-0.0).item() == 0.0
    assert str(scalar_operand(-0.0).item()) == "-0.0"
    assert torch.isnan(scalar_operand(float("nan")))


def test_canonicalize_axis():
    assert canonicalize_axis("f", -1, 3) == 2
    assert canonicalize_axes("f", (0, -1), 3) == (0, 2)
    assert canonicalize_axis("f", 0, 0) == 0
    with pytest.raises(
        ValueError,
        match=r"`ops.f`: `axis` is out of bounds "
        r".*rank 3.*Received: axis=3",
    ):
        canonicalize_axis("f", 3, 3)
    with pytest.raises(TypeError, match=r"integer `axis`.*axis=1.5"):
        canonicalize_axis("f", 1.5, 3)
    with pytest.raises(ValueError, match=r"repeats an axis"):
        canonicalize_axes("f", (1, -2), 3)
