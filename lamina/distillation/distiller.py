"""`Distiller`: a model that trains a student to match a frozen teacher
as well as the labels (knowledge distillation)."""

from __future__ import annotations

from typing import Any

import torch

from lamina.distillation import model_checks
from lamina.distillation.distillation_loss import loss_function
from lamina.models import Model
from lamina.utils import tree


class Distiller(Model):
    """Knowledge distillation: `fit` trains `student` on the weighted sum
    `student_loss_weight * student_loss + (1 - student_loss_weight) *
    distillation_loss`, where the student loss is the compiled `loss` on
    the labels and the distillation loss is the weighted sum of
    `distillation_losses` between the teacher's and the student's outputs
    (or features). The teacher is frozen. Calling the distiller calls the
    student. The logs hold `student_loss`, `distillation_loss` and
    `total_loss` besides `loss`.

    Args:
        teacher: a trained lamina `Model` (set non-trainable).
        student: the `Model` to train; same input and output shapes.
        distillation_losses: a `DistillationLoss` (`LogitsDistillation`,
            `FeatureDistillation`) or a list of them.
        distillation_loss_weights: one weight per loss (default 1.0 each).
        student_loss_weight: weight of the label loss, in [0, 1].
        name: the model's name.

    Example:

    >>> import numpy as np, lamina
    >>> from lamina.distillation import Distiller, LogitsDistillation
    >>> def mlp(units):
    ...     return lamina.Sequential([lamina.Input((4,)),
    ...         lamina.layers.Dense(units, activation="relu"),
    ...         lamina.layers.Dense(3)])
    >>> distiller = Distiller(mlp(16), mlp(4), LogitsDistillation())
    >>> distiller.compile(optimizer="adam",
    ...     loss="sparse_categorical_crossentropy")
    >>> history = distiller.fit(np.random.rand(8, 4),
    ...     np.random.randint(0, 3, 8), epochs=1, verbose=0)
    >>> sorted(history.history)
    ['distillation_loss', 'loss', 'student_loss', 'total_loss']
    """

    def __init__(
        self,
        teacher: Any,
        student: Any,
        distillation_losses: Any,
        distillation_loss_weights: Any = None,
        student_loss_weight: float = 0.5,
        name: str | None = "distiller",
        **kwargs: Any,
    ):
        super().__init__(name=name, **kwargs)
        model_checks.check_models(teacher, student)
        self.teacher = teacher
        self.student = student
        self.student_loss_weight = _check_weight(student_loss_weight)
        self.distillation_losses, self.distillation_loss_weights = (
            _losses_and_weights(distillation_losses, distillation_loss_weights)
        )
        for loss in self.distillation_losses:
            loss.validate_model_compatibility(teacher, student)
        self._teacher_features = model_checks.feature_extractor(
            teacher,
            model_checks.layer_names(
                self.distillation_losses, "teacher_layer_name"
            ),
        )
        self._student_features = model_checks.feature_extractor(
            student,
            model_checks.layer_names(
                self.distillation_losses, "student_layer_name"
            ),
        )
        self.teacher.trainable = False
        from lamina.metrics import Mean

        self.student_loss_tracker = Mean(name="student_loss")
        self.distillation_loss_tracker = Mean(name="distillation_loss")
        self.total_loss_tracker = Mean(name="total_loss")

    def compile(
        self,
        optimizer: str = "adam",
        loss: Any = None,
        metrics: Any = None,
        **kwargs: Any,
    ) -> None:
        """As `Model.compile`; `loss` is the student's loss on the labels
        (a name, loss or function, or a structure matching the outputs)."""
        if loss is None:
            raise ValueError("Distiller.compile: 'loss' cannot be `None`.")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(
                "Distiller.compile: metrics must be a list or tuple. "
                f"Received: metrics={metrics!r}"
            )
        self._student_loss = tree.map_structure(loss_function, loss)
        self._student_loss_for_serialization = loss
        super().compile(
            optimizer=optimizer, loss=None, metrics=metrics, **kwargs
        )

    def call(
        self, inputs: torch.Tensor, training: bool | None = None, **kwargs: Any
    ) -> torch.Tensor:
        return self.student(inputs, training=training, **kwargs)

    def compute_loss(
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
    ) -> Any:
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            values = tree.flatten(
                tree.map_structure(
                    lambda fn, t, p: fn(t, p), self._student_loss, y, y_pred
                )
            )
            student_loss = sum(values) if len(values) > 1 else values[0]
            if student_loss.ndim > 0:
                student_loss = student_loss.mean()
        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            distillation_loss = self._distillation_loss(x, y_pred, training)
        weight = self.student_loss_weight
        total = weight * student_loss + (1.0 - weight) * distillation_loss
        self.student_loss_tracker.update_state(_detached(student_loss))
        self.distillation_loss_tracker.update_state(
            _detached(distillation_loss)
        )
        self.total_loss_tracker.update_state(_detached(total))
        return total

    def _distillation_loss(self, x, y_pred, training):
        with torch.no_grad():  # the teacher is frozen
            teacher = (
                self._teacher_features(x, training=False)
                if self._teacher_features is not None
                else {"final_output": self.teacher(x, training=False)}
            )
        student = {"final_output": y_pred}
        if self._student_features is not None:
            student = self._student_features(x, training=training)
        total = 0.0
        for loss, weight in zip(
            self.distillation_losses, self.distillation_loss_weights
        ):
            teacher_out, student_out = _features(loss, teacher, student, y_pred)
            loss.validate_outputs(teacher_out, student_out)
            value = loss.compute_loss(teacher_out, student_out)
            if getattr(value, "ndim", 0) > 0:
                raise ValueError(
                    f"Distillation loss {type(loss).__name__} returned a "
                    f"non-scalar loss with shape {tuple(value.shape)}. The "
                    "compute_loss method must return a scalar tensor."
                )
            total = total + weight * value
        return total

    def get_config(self) -> dict:
        from lamina.saving import serialize_keras_object

        return {
            "name": self.name,
            "trainable": self.trainable,
            "teacher": serialize_keras_object(self.teacher),
            "student": serialize_keras_object(self.student),
            "distillation_losses": [
                serialize_keras_object(loss)
                for loss in self.distillation_losses
            ],
            "distillation_loss_weights": self.distillation_loss_weights,
            "student_loss_weight": self.student_loss_weight,
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> Distiller:
        from lamina.saving import deserialize_keras_object

        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = deserialize_keras_object(config[key], custom_objects)
        config["distillation_losses"] = [
            deserialize_keras_object(loss, custom_objects)
            for loss in config["distillation_losses"]
        ]
        return cls(**config)


def _check_weight(weight) -> float:
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise ValueError(
            "Invalid value for argument `student_loss_weight` of Distiller: "
            f"expected a number. Received: student_loss_weight={weight!r}"
        )
    if not 0.0 <= weight <= 1.0:
        raise ValueError(
            "Invalid value for argument `student_loss_weight` of Distiller: "
            "expected a number between 0.0 and 1.0. Received: "
            f"student_loss_weight={weight!r}"
        )
    return weight


def _losses_and_weights(losses, weights) -> tuple:
    if losses is None:
        raise ValueError(
            "'distillation_losses' cannot be `None`. Provide a distillation "
            "loss (e.g., LogitsDistillation or FeatureDistillation) or a "
            "list of distillation losses."
        )
    if not isinstance(losses, (list, tuple)):
        return [losses], [1.0]
    if weights is None:
        return list(losses), [1.0] * len(losses)
    if len(weights) != len(losses):
        raise ValueError(
            f"Number of distillation_loss_weights ({len(weights)}) must "
            f"match number of distillation_losses ({len(losses)})"
        )
    return list(losses), list(weights)


def _features(loss, teacher: dict, student: dict, y_pred) -> tuple:
    """The (teacher, student) values `loss` compares: named layers'
    outputs for a layer-level loss, else the final outputs."""
    if getattr(loss, "teacher_layer_name", None) is None:
        return teacher["final_output"], y_pred
    names = (loss.teacher_layer_name, loss.student_layer_name or "final_output")
    return teacher[names[0]], student[names[1]]


def _detached(value):
    return value.detach() if isinstance(value, torch.Tensor) else value
