"""`Distiller` against `keras.distillation.Distiller`: the same teacher,
student, data and losses give the same logs and the same trained
student."""

import numpy as np
import pytest
import torch

import lamina
from lamina.distillation import Distiller
from lamina.distillation import FeatureDistillation
from lamina.distillation import LogitsDistillation
from tests.keras_oracle import keras

FIT = {"epochs": 2, "batch_size": 8, "shuffle": False, "verbose": 0}


def _pair(lib, hidden, prefix, weights=None):
    model = lib.Sequential(
        [
            lib.Input((5,)),
            lib.layers.Dense(
                hidden, activation="tanh", name=f"{prefix}_hidden"
            ),
            lib.layers.Dense(4, name=f"{prefix}_features"),
            lib.layers.Dense(3, name=f"{prefix}_logits"),
        ],
        name=prefix,
    )
    if weights is not None:
        model.set_weights(weights)
    return model


def _weights(hidden, seed):
    rng = np.random.default_rng(seed)
    shapes = [(5, hidden), (hidden,), (hidden, 4), (4,), (4, 3), (3,)]
    return [rng.normal(size=s).astype("float32") * 0.7 for s in shapes]


def _losses(lib, kind):
    if kind == "logits":
        return lib.distillation.LogitsDistillation(
            temperature=2.0, loss=lib.losses.KLDivergence()
        ), None
    return [
        lib.distillation.LogitsDistillation(
            temperature=3.0, loss="categorical_crossentropy"
        ),
        lib.distillation.FeatureDistillation(
            loss="mse",
            teacher_layer_name="teacher_features",
            student_layer_name="student_features",
        ),
    ], [1.0, 0.25]


def _distiller(lib, kind, student_loss_weight):
    teacher = _pair(lib, 12, "teacher", _weights(12, 0))
    student = _pair(lib, 3, "student", _weights(3, 1))
    losses, weights = _losses(lib, kind)
    distiller = lib.distillation.Distiller(
        teacher,
        student,
        losses,
        distillation_loss_weights=weights,
        student_loss_weight=student_loss_weight,
    )
    distiller.compile(
        optimizer=lib.optimizers.SGD(0.1),
        loss="sparse_categorical_crossentropy",
    )
    return distiller


@pytest.mark.parametrize(
    "kind,student_loss_weight",
    [("logits", 0.5), ("features", 0.3), ("logits", 0.0)],
)
def test_fit_matches_keras(kind, student_loss_weight):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(24, 5)).astype("float32")
    y = rng.integers(0, 3, 24)
    ours = _distiller(lamina, kind, student_loss_weight)
    theirs = _distiller(keras, kind, student_loss_weight)
    got = ours.fit(x, y, **FIT).history
    want = theirs.fit(x, y, **FIT).history
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=2e-5, atol=1e-6)
    for a, b in zip(ours.student.get_weights(), theirs.student.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.teacher.get_weights(), _weights(12, 0)):
        np.testing.assert_array_equal(a, b)  # the teacher is frozen
    got_eval = ours.evaluate(x, y, verbose=0, return_dict=True)
    want_eval = theirs.evaluate(x, y, verbose=0, return_dict=True)
    for key in want_eval:
        np.testing.assert_allclose(got_eval[key], want_eval[key], rtol=2e-5)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0),
        theirs.predict(x, verbose=0),
        rtol=1e-5,
        atol=1e-4,
    )


def test_calling_the_distiller_calls_the_student():
    distiller = _distiller(lamina, "logits", 0.5)
    x = torch.randn(2, 5)
    torch.testing.assert_close(distiller(x), distiller.student(x))
    assert not distiller.teacher.trainable


def test_config_round_trip():
    distiller = _distiller(lamina, "features", 0.3)
    again = Distiller.from_config(distiller.get_config())
    assert again.student_loss_weight == 0.3
    assert again.distillation_loss_weights == [1.0, 0.25]
    assert [type(l) for l in again.distillation_losses] == [
        LogitsDistillation,
        FeatureDistillation,
    ]
    assert again.distillation_losses[1].teacher_layer_name == "teacher_features"


class _Wide(lamina.Model):
    def call(self, x):
        return x


def test_errors():
    teacher = _pair(lamina, 4, "teacher")
    student = _pair(lamina, 2, "student")
    logits = LogitsDistillation()
    with pytest.raises(ValueError, match="Teacher must be a lamina Model"):
        Distiller(lambda x: x, student, logits)
    with pytest.raises(ValueError, match="output shapes are incompatible"):
        other = lamina.Sequential([lamina.Input((5,)), lamina.layers.Dense(7)])
        Distiller(teacher, other, logits)
    with pytest.raises(ValueError, match="input shapes are incompatible"):
        other = lamina.Sequential([lamina.Input((6,)), lamina.layers.Dense(3)])
        Distiller(teacher, other, logits)
    with pytest.raises(ValueError, match=r"between 0.0 and 1.0.*=1.5"):
        Distiller(teacher, student, logits, student_loss_weight=1.5)
    with pytest.raises(ValueError, match="cannot be `None`"):
        Distiller(teacher, student, None)
    with pytest.raises(ValueError, match=r"distillation_loss_weights \(1\)"):
        Distiller(teacher, student, [logits, logits], [1.0])
    with pytest.raises(ValueError, match="In student model: No such layer"):
        Distiller(teacher, student, FeatureDistillation(student_layer_name="x"))
    distiller = Distiller(teacher, student, logits)
    with pytest.raises(ValueError, match="'loss' cannot be `None`"):
        distiller.compile()
    with pytest.raises(ValueError, match="metrics must be a list"):
        distiller.compile(loss="mse", metrics="mae")
