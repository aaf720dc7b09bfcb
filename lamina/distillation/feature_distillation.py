"""`FeatureDistillation`: the student's outputs or intermediate features
pulled towards the teacher's (FitNets, Romero et al., 2015,
https://arxiv.org/abs/1412.6550)."""

from __future__ import annotations

from typing import Any


from lamina.distillation.distillation_loss import DistillationLoss
from lamina.distillation.distillation_loss import deserialize_losses
from lamina.distillation.distillation_loss import loss_structure
from lamina.distillation.distillation_loss import serialize_losses
from lamina.utils import tree


class FeatureDistillation(DistillationLoss):
    """Distillation loss between teacher and student features.

    With layer names, the features are those layers' outputs (the models
    must be functional or Sequential); without, the models' outputs.

    Args:
        loss: a loss name (`"mse"`, `"cosine_similarity"`, ...), object or
            function, or a list/tuple/dict of them (`None` skips an
            output) matching the features' structure.
        teacher_layer_name: the teacher layer whose output is distilled.
        student_layer_name: the student layer trained to match it.

    Example:

    >>> import torch
    >>> loss = FeatureDistillation(loss="mse")
    >>> loss.compute_loss(torch.ones(2, 3), torch.zeros(2, 3))
    tensor(1.)
    """

    def __init__(
        self,
        loss: str = "mse",
        teacher_layer_name: Any = None,
        student_layer_name: Any = None,
    ):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = loss_structure(loss, "FeatureDistillation")

    def validate_model_compatibility(self, teacher: Any, student: Any) -> None:
        if self.teacher_layer_name is None and self.student_layer_name is None:
            return
        subclassed = [
            role
            for role, model in (("teacher", teacher), ("student", student))
            if getattr(model, "inputs", None) is None
        ]
        if subclassed:
            raise ValueError(
                "FeatureDistillation with specific layer names requires "
                f"Functional or Sequential models. The {' and '.join(subclassed)}"
                " model(s) appear to be subclassed (no symbolic inputs/"
                "outputs). Either use Functional/Sequential models, or use "
                "FeatureDistillation without layer names (to distill final "
                "outputs only), or use LogitsDistillation instead."
            )
        for role, model, name in (
            ("teacher", teacher, self.teacher_layer_name),
            ("student", student, self.student_layer_name),
        ):
            if name is not None:
                try:
                    model.get_layer(name=name)
                except ValueError as e:
                    raise ValueError(f"In {role} model: {e}") from None

    def validate_outputs(
        self, teacher_outputs: Any, student_outputs: Any
    ) -> None:
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except ValueError as e:
            raise ValueError(
                "FeatureDistillation: the loss structure does not match the "
                f"features' structure. Received: loss={self.loss!r}. "
                f"Error: {e}"
            ) from None

    def compute_loss(
        self, teacher_outputs: Any, student_outputs: Any, **kwargs: Any
    ) -> Any:
        def one(loss_fn, teacher, student):
            if loss_fn is None:
                return 0.0
            return loss_fn(teacher, student).mean()

        losses = tree.map_structure(
            one, self.loss, teacher_outputs, student_outputs
        )
        # A plain sum: skipped outputs add a Python 0.0 on any device.
        return sum(tree.flatten(losses))

    def get_config(self) -> dict:
        return {
            "loss": serialize_losses(self.loss),
            "teacher_layer_name": self.teacher_layer_name,
            "student_layer_name": self.student_layer_name,
        }

    @classmethod
    def from_config(cls, config: dict) -> FeatureDistillation:
        config = dict(config)
        config["loss"] = deserialize_losses(config["loss"])
        return cls(**config)
