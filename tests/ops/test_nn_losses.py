import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


def _probs(shape, axis=-1):
    x = np.exp(rand(shape))
    return (x / x.sum(axis=axis, keepdims=True)).astype("float32")


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("shape", [(4,), (3, 2), (2, 3, 1)])
def test_binary_crossentropy_matches_keras(shape, from_logits):
    target = rand(shape, "int32", low=0, high=2).astype("float32")
    output = rand(shape) if from_logits else _probs(shape + (2,))[..., 0]
    if not from_logits:
        output.flat[0] = 1.0  # exercises the clip to 1 - epsilon
    check("binary_crossentropy", target, output, from_logits=from_logits)


@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("from_logits", [False, True])
def test_categorical_crossentropy_matches_keras(from_logits, axis):
    output = rand((2, 3, 4)) if from_logits else _probs((2, 3, 4), axis)
    labels = rand((2, 3, 4), "int32", low=0, high=2).astype("float32")
    check(
        "categorical_crossentropy",
        labels,
        output,
        from_logits=from_logits,
        axis=axis,
    )


@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("target_shape", ["plain", "trailing_one"])
def test_sparse_categorical_crossentropy_matches_keras(
    from_logits, axis, target_shape
):
    output = rand((2, 3, 4)) if from_logits else _probs((2, 3, 4), axis)
    n_classes = output.shape[axis]
    shape = (2, 4) if axis == 1 else (2, 3)
    target = rand(shape, "int32", low=0, high=n_classes)
    if target_shape == "trailing_one":
        target = np.expand_dims(target, axis)
    check(
        "sparse_categorical_crossentropy",
        target,
        output,
        from_logits=from_logits,
        axis=axis,
    )


def test_sparse_categorical_crossentropy_on_one_sample():
    check("sparse_categorical_crossentropy", np.array(2), _probs((4,)))


@pytest.mark.parametrize(
    "name", ["binary_crossentropy", "categorical_crossentropy"]
)
def test_mismatched_shapes_raise(name):
    with pytest.raises(
        ValueError,
        match=rf"`ops.{name}` expects `target` "
        r"and `output`.*\(2, 3\).*\(2, 4\)",
    ):
        getattr(lops, name)(np.ones((2, 3)), np.ones((2, 4)))


def test_sparse_target_shape_mismatch_raises():
    with pytest.raises(
        ValueError,
        match=r"target.shape=\(3,\), "
        r"output.shape=\(2, 4\)",
    ):
        lops.sparse_categorical_crossentropy(
            np.zeros(3, "int32"), np.ones((2, 4))
        )
