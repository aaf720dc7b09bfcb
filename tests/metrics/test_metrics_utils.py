import numpy as np
import pytest
import torch
from keras.src.losses.loss import apply_mask as keras_apply_mask
from keras.src.losses.loss import squeeze_or_expand_to_same_rank as keras_sq
from keras.src.metrics import metrics_utils as keras_utils

from lamina.metrics import metrics_utils
from lamina.metrics.metrics_utils import ConfusionMatrix
from tests.keras_oracle import to_numpy


@pytest.mark.parametrize(
    "shape1,shape2",
    [
        ((4,), (4,)),
        ((4, 1), (4,)),
        ((4,), (4, 1)),
        ((4, 3, 1), (4, 3)),
        ((4, 3), (4, 3, 1)),
        ((4, 2), (4,)),
        ((4, 1), (4, 1, 1)),
    ],
)
@pytest.mark.parametrize("expand_rank_1", [True, False])
def test_squeeze_or_expand_matches_keras(shape1, shape2, expand_rank_1):
    a, b = torch.zeros(shape1), torch.zeros(shape2)
    ours = metrics_utils.squeeze_or_expand_to_same_rank(a, b, expand_rank_1)
    theirs = keras_sq(a, b, expand_rank_1)
    assert [tuple(t.shape) for t in ours] == [tuple(t.shape) for t in theirs]


def test_divide_no_nan():
    result = metrics_utils.divide_no_nan(
        torch.tensor([1.0, 2.0, 0.0]), torch.tensor([2.0, 0.0, 0.0])
    )
    assert result.tolist() == [0.5, 0.0, 0.0]
    assert metrics_utils.divide_no_nan(4.0, torch.tensor(0.0)).item() == 0


@pytest.mark.parametrize("reduction", ["sum", "sum_over_batch_size"])
@pytest.mark.parametrize("weighted", [False, True])
def test_apply_mask_matches_keras(reduction, weighted):
    mask = torch.tensor([[True, False, True], [False, False, True]])
    weights = (
        torch.tensor([[0.5, 1.0, 2.0], [2.0, 0.1, 3.0]]) if (weighted) else None
    )
    ours = metrics_utils.apply_mask(weights, mask, torch.float32, reduction)
    theirs = keras_apply_mask(weights, mask, "float32", reduction)
    np.testing.assert_allclose(ours.numpy(), to_numpy(theirs))


@pytest.mark.parametrize(
    "thresholds",
    [
        [0.0, 0.5, 1.0],
        [0.0, 0.25, 0.5, 0.75, 1.0],
        [0.0, 1.0],
        [0.1, 0.5, 0.9],
        [0.0, 0.4, 1.0],
    ],
)
def test_evenly_distributed_matches_keras(thresholds):
    assert metrics_utils.is_evenly_distributed_thresholds(
        thresholds
    ) == keras_utils.is_evenly_distributed_thresholds(thresholds)


def test_parse_init_thresholds():
    assert metrics_utils.parse_init_thresholds("M", None) == [0.5]
    assert metrics_utils.parse_init_thresholds("M", None, -1e10) == [-1e10]
    assert metrics_utils.parse_init_thresholds("M", 0.2) == [0.2]
    assert metrics_utils.parse_init_thresholds("M", np.array([0.2, 0.4])) == [
        0.2,
        0.4,
    ]
    with pytest.raises(
        ValueError,
        match=r"`thresholds` of M.*"
        r"Received: thresholds=\[\]",
    ):
        metrics_utils.parse_init_thresholds("M", [])


def test_filter_top_k_matches_keras():
    x = torch.tensor([[0.1, 0.7, 0.3, 0.9], [0.5, 0.2, 0.8, 0.1]])
    ours = metrics_utils.filter_top_k(x, 2)
    theirs = keras_utils._filter_top_k(x, 2)
    np.testing.assert_allclose(ours.numpy(), to_numpy(theirs))


def test_update_confusion_matrix_rejects_bad_keys_and_label_weights():
    tp = torch.zeros(1)
    with pytest.raises(
        ValueError,
        match=r"Invalid keys.*Received: "
        r"\['tp'\]",
    ):
        metrics_utils.update_confusion_matrix_variables(
            {"tp": tp}, [1.0], [0.7], [0.5]
        )
    with pytest.raises(ValueError, match=r"`label_weights`.*multi_label"):
        metrics_utils.update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: tp},
            [[1.0]],
            [[0.7]],
            [0.5],
            multi_label=True,
            label_weights=torch.ones(1),
        )


@pytest.mark.parametrize("thresholds", [[0.0, 0.5, 1.0], [0.3, 0.6]])
def test_update_confusion_matrix_counts(thresholds):
    variables = {cond: torch.zeros(len(thresholds)) for cond in ConfusionMatrix}
    evenly = metrics_utils.is_evenly_distributed_thresholds(thresholds)
    metrics_utils.update_confusion_matrix_variables(
        variables,
        torch.tensor([1.0, 0.0, 1.0, 0.0]),
        torch.tensor([0.9, 0.7, 0.4, 0.0]),
        thresholds,
        thresholds_distributed_evenly=evenly,
    )
    y_true = np.array([1, 0, 1, 0], bool)
    y_pred = np.array([0.9, 0.7, 0.4, 0.0])
    for i, t in enumerate(thresholds):
        pos = y_pred > t
        expected = {
            ConfusionMatrix.TRUE_POSITIVES: (pos & y_true).sum(),
            ConfusionMatrix.FALSE_POSITIVES: (pos & ~y_true).sum(),
            ConfusionMatrix.TRUE_NEGATIVES: (~pos & ~y_true).sum(),
            ConfusionMatrix.FALSE_NEGATIVES: (~pos & y_true).sum(),
        }
        for cond, value in expected.items():
            assert variables[cond][i].item() == value, (cond, t)
