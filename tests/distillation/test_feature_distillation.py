"""`FeatureDistillation` against Keras's numbers, and its model checks."""

import numpy as np
import pytest
import torch

import lamina
from lamina.distillation import FeatureDistillation
from tests.keras_oracle import keras


def _features(seed, shape=(3, 6)):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g), torch.randn(shape, generator=g)


@pytest.mark.parametrize("loss", ["mse", "mae", "cosine_similarity", "huber"])
def test_matches_keras(loss):
    teacher, student = _features(len(loss))
    got = FeatureDistillation(loss).compute_loss(teacher, student)
    want = keras.distillation.FeatureDistillation(loss).compute_loss(
        teacher, student
    )
    np.testing.assert_allclose(float(got), float(want), rtol=1e-5, atol=1e-7)


def test_dict_structure_with_a_skipped_entry():
    (t1, s1), (t2, s2) = _features(1), _features(2, (3, 2, 2))
    ours = FeatureDistillation({"a": "mse", "b": None, "c": "mae"})
    theirs = keras.distillation.FeatureDistillation(
        {"a": "mse", "b": None, "c": "mae"}
    )
    t = {"a": t1, "b": t2, "c": t1}
    s = {"a": s1, "b": s2, "c": s2[:, :1, 0].expand(3, 6)}
    np.testing.assert_allclose(
        float(ours.compute_loss(t, s)),
        float(theirs.compute_loss(t, s)),
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="does not match the features"):
        ours.validate_outputs([t1, t2], [s1, s2])


def _sequential(hidden, name):
    return lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(hidden, name=f"{name}_hidden"),
            lamina.layers.Dense(2),
        ]
    )


class _Subclassed(lamina.Model):
    def __init__(self):
        super().__init__()
        self.dense = lamina.layers.Dense(2)

    def call(self, x):
        return self.dense(x)


def test_model_compatibility_checks():
    teacher, student = _sequential(8, "t"), _sequential(8, "s")
    FeatureDistillation(
        teacher_layer_name="t_hidden", student_layer_name="s_hidden"
    ).validate_model_compatibility(teacher, student)
    with pytest.raises(ValueError, match="In teacher model: No such layer: x"):
        FeatureDistillation(
            teacher_layer_name="x"
        ).validate_model_compatibility(teacher, student)
    with pytest.raises(ValueError, match="The student model.*subclassed"):
        FeatureDistillation(
            teacher_layer_name="t_hidden"
        ).validate_model_compatibility(teacher, _Subclassed())
    # Without layer names any pair of models is fine.
    FeatureDistillation().validate_model_compatibility(teacher, _Subclassed())


def test_config_round_trip():
    loss = FeatureDistillation("mae", "a", "b")
    again = FeatureDistillation.from_config(loss.get_config())
    assert (again.teacher_layer_name, again.student_layer_name) == ("a", "b")
    teacher, student = _features(9)
    np.testing.assert_allclose(
        float(again.compute_loss(teacher, student)),
        float(loss.compute_loss(teacher, student)),
    )
