"""One set of identifier rules for the seven families with `get`,
`serialize` and `deserialize` (`lamina/saving/object_registry.py`)."""

import pytest
import torch

import lamina
from lamina.saving import register_keras_serializable

_KINDS = {
    "activations": "activation function",
    "initializers": "initializer",
    "regularizers": "regularizer",
    "constraints": "constraint",
    "losses": "loss",
    "metrics": "metric",
    "optimizers": "optimizer",
}


@pytest.mark.parametrize("family", sorted(_KINDS))
@pytest.mark.parametrize("bad", ["no_such_name", 7])
def test_every_family_reports_an_unknown_identifier_alike(family, bad):
    module = getattr(lamina, family)
    with pytest.raises(ValueError) as info:
        module.get(bad)
    message = str(info.value)
    assert message.startswith(
        f"Could not interpret {_KINDS[family]} identifier: {bad!r}. Expected "
    )
    assert message.endswith(f"Received: identifier={bad!r}")


def _custom_loss(y_true, y_pred):
    return torch.mean(torch.abs(y_true - y_pred) * 3.0)


def test_registered_custom_loss_resolves_by_name_through_get():
    registered = register_keras_serializable(package="registry_test")(
        _custom_loss
    )
    assert lamina.losses.get("registry_test>_custom_loss") is registered
    with pytest.raises(ValueError, match="Could not interpret loss"):
        lamina.losses.get("_custom_loss")  # registered under the package


def test_custom_object_scope_reaches_every_family_get():
    def halve(x):
        return x * 0.5

    class Scale(lamina.constraints.Constraint):
        def __call__(self, w):
            return w * 2.0

    with lamina.saving.custom_object_scope(
        {"halve": halve, "Scale": Scale, "my_loss": _custom_loss}
    ):
        assert lamina.activations.get("halve") is halve
        assert isinstance(lamina.constraints.get("Scale"), Scale)
        assert lamina.losses.get("my_loss") is _custom_loss
        wrapped = lamina.metrics.get("my_loss")
        assert isinstance(wrapped, lamina.metrics.MeanMetricWrapper)
    with pytest.raises(ValueError, match="Could not interpret activation"):
        lamina.activations.get("halve")


def test_a_class_name_resolves_to_a_default_instance():
    assert isinstance(lamina.regularizers.get("L1L2"), lamina.regularizers.L1L2)
    assert isinstance(lamina.losses.get("Huber"), lamina.losses.Huber)
    assert isinstance(lamina.metrics.get("AUC"), lamina.metrics.AUC)
    assert isinstance(lamina.optimizers.get("ADAM"), lamina.optimizers.Adam)
    assert isinstance(
        lamina.initializers.get("HeNormal"), lamina.initializers.HeNormal
    )
