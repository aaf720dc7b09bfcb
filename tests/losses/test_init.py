import inspect

import pytest

import lamina
from lamina.saving import register_keras_serializable
from tests.keras_oracle import keras

KERAS_NAMES = sorted(
    n
    for n in dir(keras.losses)
    if not n.startswith("_") and n not in ("deserialize", "get", "serialize")
)
ALIASES = [
    "mse",
    "MSE",
    "mae",
    "MAE",
    "mape",
    "MAPE",
    "msle",
    "MSLE",
    "kld",
    "KLD",
    "bce",
    "BCE",
]


def test_public_names_cover_keras():
    missing = set(KERAS_NAMES) - set(lamina.losses.__all__)
    assert not missing
    extra = (
        set(lamina.losses.__all__)
        - set(KERAS_NAMES)
        - {"deserialize", "get", "serialize", "LossFunctionWrapper"}
    )
    assert not extra


@pytest.mark.parametrize("name", KERAS_NAMES + ALIASES)
def test_get_by_name_matches_keras(name):
    try:
        theirs = keras.losses.get(name)
    except ValueError:
        theirs = None  # Keras 3.15 misses a few names; lamina has them.
    ours = lamina.losses.get(name)
    if inspect.isfunction(ours):
        assert theirs is None or ours.__name__ == theirs.__name__
    else:
        assert isinstance(ours, lamina.losses.Loss)
        assert theirs is None or type(ours).__name__ == type(theirs).__name__
        if theirs is not None and name != "Loss":
            assert ours.get_config().items() >= theirs.get_config().items()


def test_get_other_identifiers():
    assert lamina.losses.get(None) is None
    instance = lamina.losses.Huber(delta=2.0)
    assert lamina.losses.get(instance) is instance
    assert isinstance(
        lamina.losses.get(lamina.losses.Poisson), lamina.losses.Poisson
    )
    fn = lambda y_true, y_pred: y_pred  # noqa: E731
    assert lamina.losses.get(fn) is fn
    got = lamina.losses.get(
        {
            "class_name": "CategoricalCrossentropy",
            "config": {"from_logits": True},
        }
    )
    assert isinstance(got, lamina.losses.CategoricalCrossentropy)
    assert got.from_logits is True


@pytest.mark.parametrize(
    "identifier", ["msee", "mean_square_error", 42, [1, 2]]
)
def test_get_unknown_identifier_raises(identifier):
    with pytest.raises(
        ValueError, match="Could not interpret loss identifier: "
    ):
        lamina.losses.get(identifier)


@pytest.mark.parametrize(
    "name", ["mean_squared_error", "huber", "sparse_categorical_crossentropy"]
)
def test_function_serialization_matches_keras(name):
    ours = lamina.losses.serialize(getattr(lamina.losses, name))
    theirs = keras.losses.serialize(getattr(keras.losses, name))
    assert ours == theirs
    assert lamina.losses.deserialize(ours) is getattr(lamina.losses, name)
    assert lamina.losses.deserialize(name) is getattr(lamina.losses, name)


def test_deserialize_class_name_string():
    loss = lamina.losses.deserialize("MeanAbsoluteError")
    assert isinstance(loss, lamina.losses.MeanAbsoluteError)
    with pytest.raises(ValueError, match="Could not interpret loss"):
        lamina.losses.deserialize("NoSuchLoss")
    with pytest.raises(ValueError, match="Could not interpret loss"):
        lamina.losses.deserialize(
            {
                "class_name": "function",
                "config": "no_such_fn",
                "module": "builtins",
                "registered_name": "function",
            }
        )


def test_custom_loss_serialization():
    @register_keras_serializable(package="lamina_tests")
    class ScaledMSE(lamina.losses.Loss):
        def __init__(self, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.scale = scale

        def call(self, y_true, y_pred):
            return self.scale * lamina.losses.mean_squared_error(y_true, y_pred)

        def get_config(self):
            return {**super().get_config(), "scale": self.scale}

    config = lamina.losses.serialize(ScaledMSE(scale=3.0, name="s"))
    assert config["registered_name"] == "lamina_tests>ScaledMSE"
    rebuilt = lamina.losses.deserialize(config)
    assert isinstance(rebuilt, ScaledMSE) and rebuilt.scale == 3.0

    def my_fn(y_true, y_pred):
        return y_pred

    rebuilt = lamina.losses.deserialize(
        lamina.losses.serialize(my_fn), custom_objects={"my_fn": my_fn}
    )
    assert rebuilt is my_fn


def test_top_level_loss_alias():
    assert lamina.Loss is lamina.losses.Loss
