import numpy as np
import pytest
import torch

import lamina
from lamina.errors import LaminaWarning
from tests.keras_oracle import keras
from tests.losses import parity

REDUCTIONS = ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]


def _probs(shape, rng, axis=-1, extremes=False):
    x = rng.uniform(0.01, 1, shape).astype("float32")
    x = x / x.sum(axis, keepdims=True)
    if extremes:  # exact 0 and 1 probabilities hit the clipping
        x.reshape(-1)[:2] = [0.0, 1.0]
    return x


def _binary(shape, rng, from_logits):
    y_true = rng.integers(0, 2, shape).astype("float32")
    if from_logits:
        y_pred = rng.normal(0, 4, shape).astype("float32")
    else:
        y_pred = rng.uniform(0, 1, shape).astype("float32")
        y_pred.reshape(-1)[:2] = [0.0, 1.0]
    return y_true, y_pred


# --- binary --------------------------------------------------------------


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("sw", [None, "batch1"])
def test_binary_class_matches_keras(
    from_logits, label_smoothing, reduction, sw
):
    rng = np.random.default_rng(0)
    y_true, y_pred = _binary((6, 3), rng, from_logits)
    kwargs = {
        "from_logits": from_logits,
        "label_smoothing": label_smoothing,
        "reduction": reduction,
    }
    weights = parity.sample_weight(sw, (6,), rng)
    parity.compare_class(
        "BinaryCrossentropy", kwargs, y_true, y_pred, weights, grad=True
    )


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("axis", [-1, 1, 0])
@pytest.mark.parametrize(
    "shape_true,shape_pred",
    [((2, 3, 4), (2, 3, 4)), ((5,), (5, 1)), ((5, 1), (5,))],
)
def test_binary_axis_and_rank_alignment(
    from_logits, axis, shape_true, shape_pred
):
    rng = np.random.default_rng(1)
    y_true, _ = _binary(shape_true, rng, from_logits)
    _, y_pred = _binary(shape_pred, rng, from_logits)
    kwargs = {"from_logits": from_logits, "axis": axis, "reduction": None}
    parity.compare_class(
        "BinaryCrossentropy", kwargs, y_true, y_pred, grad=True
    )


@pytest.mark.parametrize("from_logits", [False, True])
def test_binary_function_matches_keras(from_logits):
    y_true, y_pred = _binary((4, 5), np.random.default_rng(2), from_logits)
    parity.compare_function(
        "binary_crossentropy",
        {"from_logits": from_logits, "label_smoothing": 0.1},
        y_true,
        y_pred,
        grad=True,
    )


def test_binary_shape_mismatch_raises():
    with pytest.raises(
        ValueError,
        match=r"`binary_crossentropy`.*"
        r"y_true.shape=\(4,\), y_pred.shape=\(4, 2\)",
    ):
        lamina.losses.binary_crossentropy(np.ones(4), np.ones((4, 2)) / 2)


# --- categorical ---------------------------------------------------------


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("sw", [None, "batch"])
def test_categorical_class_matches_keras(
    from_logits, label_smoothing, reduction, sw
):
    rng = np.random.default_rng(3)
    y_true = np.eye(4, dtype="float32")[rng.integers(0, 4, 6)]
    y_pred = (
        rng.normal(0, 3, (6, 4)).astype("float32")
        if from_logits
        else _probs((6, 4), rng, extremes=True)
    )
    kwargs = {
        "from_logits": from_logits,
        "label_smoothing": label_smoothing,
        "reduction": reduction,
    }
    weights = parity.sample_weight(sw, (6,), rng)
    parity.compare_class(
        "CategoricalCrossentropy", kwargs, y_true, y_pred, weights, grad=True
    )


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("sw", [None, "batch1", "full"])
def test_categorical_sequence_and_axis(from_logits, axis, sw):
    rng = np.random.default_rng(4)
    y_true = _probs((2, 3, 5), rng, axis=axis)  # soft labels
    y_pred = (
        rng.normal(size=(2, 3, 5)).astype("float32")
        if from_logits
        else _probs((2, 3, 5), rng, axis=axis)
    )
    losses_shape = (2, 5) if axis == 1 else (2, 3)
    weights = parity.sample_weight(sw, losses_shape, rng)
    kwargs = {"from_logits": from_logits, "axis": axis, "label_smoothing": 0.05}
    parity.compare_class(
        "CategoricalCrossentropy", kwargs, y_true, y_pred, weights, grad=True
    )


def test_categorical_function_matches_keras():
    rng = np.random.default_rng(5)
    y_true = np.eye(3, dtype="float32")[rng.integers(0, 3, 4)]
    parity.compare_function(
        "categorical_crossentropy",
        {"label_smoothing": 0.2},
        y_true,
        _probs((4, 3), rng),
        grad=True,
    )


def test_categorical_errors():
    with pytest.raises(
        ValueError,
        match=r"`categorical_crossentropy`.*"
        r"\(4, 3\).*\(4, 2\)",
    ):
        lamina.losses.categorical_crossentropy(np.ones((4, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="`axis`.*Received: axis=True"):
        lamina.losses.categorical_crossentropy(
            np.ones((4, 3)), np.ones((4, 3)), axis=True
        )


def test_categorical_single_class_warns():
    with pytest.warns(LaminaWarning, match="num_classes > 1"):
        lamina.losses.categorical_crossentropy(np.ones((4, 1)), np.ones((4, 1)))


# --- sparse categorical --------------------------------------------------


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("labels", ["int64", "uint8", "float32", "column"])
def test_sparse_class_matches_keras(from_logits, reduction, labels):
    rng = np.random.default_rng(6)
    y_true = rng.integers(0, 4, (6,))
    y_true = (y_true[:, None] if labels == "column" else y_true).astype(
        "int64" if labels == "column" else labels
    )
    y_pred = (
        rng.normal(0, 3, (6, 4)).astype("float32")
        if from_logits
        else _probs((6, 4), rng, extremes=True)
    )
    kwargs = {"from_logits": from_logits, "reduction": reduction}
    weights = parity.sample_weight("batch", (6,), rng)
    parity.compare_class(
        "SparseCategoricalCrossentropy",
        kwargs,
        y_true,
        y_pred,
        weights,
        grad=True,
    )


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("ignore_class", [None, -1, 2])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", None])
def test_sparse_sequence_axis_ignore_class(
    from_logits, axis, ignore_class, reduction
):
    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 3, (2, 5)).astype("int32")
    if ignore_class == -1:
        y_true[0, :2] = -1
    shape = (2, 5, 3) if axis == -1 else (2, 3, 5)
    y_pred = (
        rng.normal(size=shape).astype("float32")
        if from_logits
        else _probs(shape, rng, axis=axis)
    )
    kwargs = {
        "from_logits": from_logits,
        "axis": axis,
        "ignore_class": ignore_class,
        "reduction": reduction,
    }
    parity.compare_class(
        "SparseCategoricalCrossentropy", kwargs, y_true, y_pred, grad=True
    )


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_function_ignore_class_mask(from_logits):
    y_true = np.array([0, 255, 1, 2], dtype="int64")
    y_pred = np.random.default_rng(8).uniform(0.1, 1, (4, 3)).astype("float32")
    out = parity.compare_function(
        "sparse_categorical_crossentropy",
        {"from_logits": from_logits, "ignore_class": 255},
        y_true,
        y_pred,
        grad=True,
    )
    assert out._keras_mask.tolist() == [True, False, True, True]


def test_sparse_scalar_batch():
    # Rank-1 predictions: one sample without a batch axis.
    parity.compare_function(
        "sparse_categorical_crossentropy",
        {"from_logits": True},
        np.array(2),
        np.array([0.1, -1.0, 2.0], dtype="float32"),
    )


def test_sparse_one_hot_labels_raise():
    y_true = np.eye(3, dtype="float32")[[0, 2]]
    with pytest.raises(
        ValueError,
        match=r"one-hot.*CategoricalCrossentropy"
        r".*y_true.shape=\(2, 3\)",
    ):
        lamina.losses.SparseCategoricalCrossentropy()(
            y_true, np.ones((2, 3)) / 3
        )


def test_sparse_wrong_shape_raises():
    with pytest.raises(
        ValueError,
        match=r"class axis.*y_true.shape=\(3,\),"
        r" y_pred.shape=\(2, 4\)",
    ):
        lamina.losses.sparse_categorical_crossentropy(
            np.array([0, 1, 2]), np.ones((2, 4)) / 4
        )


def test_sparse_is_traceable_without_graph_breaks():
    import torch._dynamo

    loss = lamina.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=-1
    )

    def step(y_true, logits, weights):
        return loss(y_true, logits, sample_weight=weights)

    explained = torch._dynamo.explain(step)(
        torch.tensor([0, -1, 2]), torch.randn(3, 4), torch.ones(3)
    )
    assert explained.graph_break_count == 0


# --- configs -------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("BinaryCrossentropy", {}),
        (
            "BinaryCrossentropy",
            {"from_logits": True, "label_smoothing": 0.1, "axis": 1},
        ),
        ("CategoricalCrossentropy", {"label_smoothing": 0.2, "axis": 1}),
    ],
)
def test_config_matches_keras(name, kwargs):
    parity.compare_config(name, kwargs)


def test_sparse_config_keeps_axis():
    ours = lamina.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=-1, axis=1
    )
    theirs = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=-1, axis=1
    )
    assert ours.get_config() == {**theirs.get_config(), "axis": 1}
    rebuilt = lamina.losses.deserialize(keras.losses.serialize(theirs))
    assert rebuilt.from_logits and rebuilt.ignore_class == -1
    assert torch.is_tensor(rebuilt(np.array([1]), np.ones((1, 2))))


# --- probabilities exactly 0 and 1 ---------------------------------------

_EDGE_PROBS = np.array(
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], dtype="float32"
)
_EDGE_LABELS = np.array([1, 1, 2])


@pytest.mark.parametrize(
    "name,y_true",
    [
        ("SparseCategoricalCrossentropy", _EDGE_LABELS),
        ("CategoricalCrossentropy", np.eye(3, dtype="float32")[_EDGE_LABELS]),
        ("BinaryCrossentropy", np.eye(3, dtype="float32")[_EDGE_LABELS]),
        ("BinaryFocalCrossentropy", np.eye(3, dtype="float32")[_EDGE_LABELS]),
        (
            "CategoricalFocalCrossentropy",
            np.eye(3, dtype="float32")[_EDGE_LABELS],
        ),
    ],
)
def test_exact_zero_and_one_probabilities_match_keras(name, y_true):
    # Clipping decides both the value (-log(eps)) and a zero gradient.
    out = parity.compare_class(
        name, {"reduction": None}, y_true, _EDGE_PROBS, grad=True
    )
    assert torch.isfinite(out).all()
