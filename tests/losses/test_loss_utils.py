import numpy as np
import pytest
import torch

from lamina.losses import loss_utils
from keras.src.losses.loss import squeeze_or_expand_to_same_rank as keras_sq


@pytest.mark.parametrize(
    "shapes",
    [
        ((4,), (4, 1)),
        ((4, 1), (4,)),
        ((4, 1), (4, 1)),
        ((4, 3), (4,)),
        ((2, 3, 1), (2, 3)),
        ((2, 3), (2, 3, 1)),
        ((2, 3, 1), (2, 3, 1, 1)),
        ((), (1,)),
        ((1,), ()),
    ],
)
@pytest.mark.parametrize("expand_rank_1", [True, False])
def test_squeeze_or_expand_matches_keras(shapes, expand_rank_1):
    a, b = torch.zeros(shapes[0]), torch.zeros(shapes[1])
    ours = loss_utils.squeeze_or_expand_to_same_rank(a, b, expand_rank_1)
    theirs = keras_sq(a, b, expand_rank_1)
    assert [tuple(t.shape) for t in ours] == [tuple(t.shape) for t in theirs]


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ((4, 3), (4, 3), True),
        ((4, 3), (3,), True),
        ((4, 1), (1, 5), True),
        ((), (2, 2), True),
        ((4, 3), (4,), False),
        ((2, 3), (3, 2), False),
    ],
)
def test_broadcastable(a, b, expected):
    assert loss_utils.broadcastable(a, b) is expected


def test_as_tensor_avoids_copies():
    x = torch.ones(3)
    assert loss_utils.as_tensor(x) is x
    assert loss_utils.as_tensor(x, torch.float32) is x
    assert loss_utils.as_tensor(x, torch.float64).dtype == torch.float64
    y = loss_utils.as_tensor(np.arange(3))
    assert y.dtype == torch.int64


def test_prepare_casts_y_true_like_y_pred():
    y_true, y_pred = loss_utils.prepare(
        np.array([1, 0]), torch.zeros(2, dtype=torch.float64)
    )
    assert y_true.dtype == torch.float64 and y_pred.dtype == torch.float64


def test_check_errors():
    with pytest.raises(
        ValueError,
        match=r"`my_loss`.*must have the same "
        r"shape.*\(2,\).*\(3,\)",
    ):
        loss_utils.check_same_shape("my_loss", torch.zeros(2), torch.zeros(3))
    with pytest.raises(
        ValueError,
        match=r"argument `axis` of my_loss: "
        r"expected an int. Received: axis=1.5",
    ):
        loss_utils.check_axis("my_loss", 1.5)
