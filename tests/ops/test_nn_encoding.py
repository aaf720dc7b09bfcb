import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize("axis", [-1, 0, 1, 2])
@pytest.mark.parametrize("dtype", [None, "int32", "bool", "float16"])
def test_one_hot_matches_keras(axis, dtype):
    x = np.array([[0, 2, -1], [1, 3, 2]])
    check("one_hot", x, 4, axis=axis, dtype=dtype)


def test_one_hot_bad_arguments_raise():
    with pytest.raises(ValueError, match=r"`axis` must be -1 or in \[0, 1\]"):
        lops.one_hot([1, 2], 3, axis=5)
    with pytest.raises(ValueError, match=r"sparse=True"):
        lops.one_hot([1, 2], 3, sparse=True)


@pytest.mark.parametrize("shape", [(4,), (2, 3)])
@pytest.mark.parametrize("dtype", [None, "int32"])
def test_multi_hot_matches_keras(shape, dtype):
    x = rand(shape, "int32", low=0, high=5)
    check("multi_hot", x, 5, dtype=dtype)
    check("multi_hot", x, num_tokens=6)


def test_multi_hot_without_num_classes_raises():
    with pytest.raises(ValueError, match=r"`num_classes` of `ops.multi_hot`"):
        lops.multi_hot([1, 2])
