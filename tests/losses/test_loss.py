import numpy as np
import pytest
import torch

import lamina
from lamina.losses import loss as loss_module
from tests.keras_oracle import keras
from tests.losses import parity

REDUCTIONS = [
    "sum_over_batch_size",
    "sum",
    "mean",
    "mean_with_sample_weight",
    None,
    "none",
]


class LaminaAbs(lamina.losses.Loss):
    def call(self, y_true, y_pred):
        return torch.abs(y_true - y_pred)


class KerasAbs(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return torch.abs(y_true - y_pred)


def _run_both(shape, reduction, sw=None, mask=None, seed=0):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(size=shape).astype("float32")
    y_pred = rng.normal(size=shape).astype("float32")
    ours = LaminaAbs(reduction=reduction)(
        y_true,
        torch.tensor(y_pred),
        sample_weight=sw,
        mask=None if mask is None else torch.tensor(mask),
    )
    p_theirs = torch.tensor(y_pred)
    if mask is not None:
        p_theirs._keras_mask = torch.tensor(mask)
    theirs = KerasAbs(reduction=reduction)(y_true, p_theirs, sample_weight=sw)
    parity.assert_close(ours, theirs)
    return ours


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "shape,sw_kind",
    [
        ((5,), None),
        ((5,), "batch"),
        ((5,), "batch1"),
        ((5,), "scalar"),
        ((5,), "torch"),
        ((4, 3), None),
        ((4, 3), "batch1"),
        ((4, 3), "full"),
        ((2, 3, 4), "full"),
        ((2, 3, 4), "scalar"),
    ],
)
def test_reductions_and_weights_match_keras(reduction, shape, sw_kind):
    sw = parity.sample_weight(sw_kind, shape, np.random.default_rng(3))
    _run_both(shape, reduction, sw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("sw_kind", [None, "full"])
@pytest.mark.parametrize("all_masked", [False, True])
def test_mask_matches_keras(reduction, sw_kind, all_masked):
    rng = np.random.default_rng(4)
    mask = rng.uniform(size=(3, 4)) > 0.4
    if all_masked:
        mask[:] = False
    sw = parity.sample_weight(sw_kind, (3, 4), rng)
    out = _run_both((3, 4), reduction, sw, mask)
    assert torch.isfinite(out).all()


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum"])
def test_mask_read_from_predictions(reduction):
    # A masking layer leaves its mask on its output as `_keras_mask`.
    rng = np.random.default_rng(5)
    mask = torch.tensor(rng.uniform(size=(3, 4)) > 0.5)
    y_true = torch.tensor(rng.normal(size=(3, 4)), dtype=torch.float32)
    y_pred = torch.tensor(rng.normal(size=(3, 4)), dtype=torch.float32)
    explicit = LaminaAbs(reduction=reduction)(y_true, y_pred, mask=mask)
    y_pred._keras_mask = mask
    implicit = LaminaAbs(reduction=reduction)(y_true, y_pred)
    torch.testing.assert_close(implicit, explicit)
    theirs = KerasAbs(reduction=reduction)(y_true, y_pred)
    parity.assert_close(implicit, theirs)


def test_mask_averages_over_valid_entries():
    values = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    mask = torch.tensor([[True, True, False], [True, False, False]])
    out = loss_module.reduce_weighted_values(values, mask=mask)
    torch.testing.assert_close(out, torch.tensor((1 + 2 + 4) / 3))
    # (batch, 1) weights with a mask: Keras fails on an in-place product;
    # lamina broadcasts them over the timesteps.
    weights = torch.tensor([[1.0], [0.5]])
    out = loss_module.reduce_weighted_values(values, weights, mask)
    torch.testing.assert_close(out, torch.tensor((1 + 2 + 2) / 3))


def test_mask_combines_with_loss_mask():
    # sparse crossentropy with ignore_class carries a mask of its own.
    loss = lamina.losses.SparseCategoricalCrossentropy(
        ignore_class=-1, reduction="sum"
    )
    y_true = torch.tensor([[0, -1, 1]])
    y_pred = torch.full((1, 3, 2), 0.5)
    out = loss(y_true, y_pred, mask=torch.tensor([[False, True, True]]))
    torch.testing.assert_close(out, torch.log(torch.tensor(2.0)))


def test_weights_that_do_not_broadcast_raise():
    loss = LaminaAbs(name="abs_loss")
    with pytest.raises(
        ValueError,
        match=r"Loss 'abs_loss'.*sample_weight "
        r"of shape \(2,\).*losses of shape \(2, 4\)",
    ):
        loss(np.zeros((2, 4)), np.ones((2, 4)), sample_weight=np.ones(2))
    with pytest.raises(
        ValueError,
        match=r"mask of shape \(3, 5\) to the "
        r"sample_weight of shape \(2, 4\)",
    ):
        loss(
            np.zeros((2, 4)),
            np.ones((2, 4)),
            sample_weight=np.ones((2, 4)),
            mask=np.ones((3, 5), dtype=bool),
        )


def test_mean_with_sample_weight_zero_weights_is_zero():
    loss = LaminaAbs(reduction="mean_with_sample_weight")
    out = loss(np.zeros(3), np.ones(3), sample_weight=np.zeros(3))
    assert out.item() == 0.0


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_empty_batch_matches_keras(reduction):
    ours = lamina.losses.MeanSquaredError(reduction=reduction)(
        np.zeros((0, 3)), np.zeros((0, 3))
    )
    theirs = keras.losses.MeanSquaredError(reduction=reduction)(
        np.zeros((0, 3)), np.zeros((0, 3))
    )
    parity.assert_close(ours, theirs)


@pytest.mark.parametrize(
    "dtype", [None, "float64", "float16", torch.float64, "mixed_bfloat16"]
)
def test_dtype_matches_keras(dtype):
    ours = LaminaAbs(dtype=dtype)
    theirs = KerasAbs(dtype=dtype)
    assert ours.dtype == theirs.dtype
    out = ours(np.ones(2), np.zeros(2, dtype="float32"))
    assert out.dtype == lamina.utils.dtype_utils.to_torch_dtype(ours.dtype)


def test_dtype_policy_object():
    class Policy:
        compute_dtype = "float64"

    assert LaminaAbs(dtype=Policy()).dtype == "float64"


def test_integer_and_torch_inputs_are_cast():
    out = lamina.losses.MeanSquaredError()(
        torch.tensor([[1, 2]]), np.array([[1.0, 4.0]])
    )
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, torch.tensor(2.0))


@pytest.mark.parametrize("reduction", ["sums", "Sum", "", 3])
def test_invalid_reduction_raises(reduction):
    with pytest.raises(
        ValueError,
        match=r"Invalid value for argument "
        r"`reduction`. Expected one of .*'sum_over_batch_size'"
        r".*'mean_with_sample_weight'.*Received: reduction=",
    ):
        LaminaAbs(reduction=reduction)


def test_default_names_follow_keras():
    class MyCustomLossForNaming(lamina.losses.Loss):
        def call(self, y_true, y_pred):
            return y_pred

    first, second = MyCustomLossForNaming(), MyCustomLossForNaming()
    assert first.name == "my_custom_loss_for_naming"
    assert second.name == "my_custom_loss_for_naming_1"
    assert MyCustomLossForNaming(name="explicit").name == "explicit"


def test_config_round_trip_matches_keras():
    ours = LaminaAbs(name="abs", reduction="sum")
    theirs = KerasAbs(name="abs", reduction="sum")
    assert ours.get_config() == theirs.get_config()
    rebuilt = LaminaAbs.from_config(ours.get_config())
    assert (rebuilt.name, rebuilt.reduction) == ("abs", "sum")


def test_call_must_be_implemented():
    with pytest.raises(NotImplementedError, match="Loss.*call"):
        lamina.losses.Loss()(np.ones(2), np.ones(2))


def test_gradient_flows_to_predictions():
    y_pred = torch.tensor([[0.5, 2.0]], requires_grad=True)
    LaminaAbs(reduction="sum")(torch.zeros(1, 2), y_pred).backward()
    torch.testing.assert_close(y_pred.grad, torch.ones(1, 2))


def test_nested_inputs():
    class PairLoss(lamina.losses.Loss):
        def call(self, y_true, y_pred):
            return (y_true["a"] - y_pred["a"]) ** 2 + (
                y_true["b"] - y_pred["b"]
            ) ** 2

    out = PairLoss()(
        {"a": np.zeros(2), "b": np.ones(2)}, {"a": np.ones(2), "b": np.ones(2)}
    )
    torch.testing.assert_close(out, torch.tensor(1.0))


def test_whole_step_traces_without_graph_breaks():
    import torch._dynamo

    losses = [
        lamina.losses.MeanSquaredError(),
        lamina.losses.BinaryCrossentropy(from_logits=True),
        lamina.losses.CategoricalCrossentropy(label_smoothing=0.1),
    ]

    def step(y_true, y_pred, weights, mask):
        return sum(loss(y_true, y_pred, weights, mask=mask) for loss in losses)

    explained = torch._dynamo.explain(step)(
        torch.rand(2, 3, 4),
        torch.rand(2, 3, 4),
        torch.rand(2, 1),
        torch.rand(2, 3) > 0.5,
    )
    assert explained.graph_break_count == 0
