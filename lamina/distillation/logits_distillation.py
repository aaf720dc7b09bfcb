"""`LogitsDistillation`: the student's logits pulled towards the
teacher's, both softened by a temperature (Hinton et al., 2015,
https://arxiv.org/abs/1503.02531)."""

from __future__ import annotations

from typing import Any


from lamina.distillation.distillation_loss import DistillationLoss
from lamina.distillation.distillation_loss import deserialize_losses
from lamina.distillation.distillation_loss import loss_structure
from lamina.distillation.distillation_loss import serialize_losses
from lamina.utils import tree


class LogitsDistillation(DistillationLoss):
    """Distillation loss between the teacher's and the student's logits.

    Both are divided by `temperature`. For the KL divergence, both are
    then turned into probabilities with a softmax and the loss is scaled
    by `temperature**2` (so that its gradients keep their size as the
    temperature changes); other losses get the scaled logits.

    Keras applies the softmax only to a `keras.losses.KLDivergence`
    instance; its default `loss="kl_divergence"` resolves to the function
    and gets the scaled logits as they are. lamina softens every form of
    the KL divergence, as the documented behaviour says, so its default
    equals Keras's with `loss=KLDivergence()`.

    Args:
        temperature: positive number; higher gives softer distributions.
        loss: a loss name, object or function, or a list/tuple/dict of
            them (or `None` to skip an output) matching the outputs.

    Example:

    >>> import torch
    >>> loss = LogitsDistillation(temperature=2.0)
    >>> teacher, student = torch.tensor([[2.0, 0.0]]), torch.zeros(1, 2)
    >>> round(float(loss.compute_loss(teacher, student)), 4)
    0.4438
    """

    def __init__(self, temperature: float = 3.0, loss: str = "kl_divergence"):
        self.loss = loss_structure(loss, "LogitsDistillation")
        if isinstance(temperature, bool) or not isinstance(
            temperature, (int, float)
        ):
            raise ValueError(
                "Invalid value for argument `temperature` of "
                "LogitsDistillation: expected a number. Received: "
                f"temperature={temperature!r}"
            )
        if temperature <= 0.0:
            raise ValueError(
                "Invalid value for argument `temperature` of "
                "LogitsDistillation: expected a positive number. Received: "
                f"temperature={temperature!r}"
            )
        self.temperature = temperature

    def compute_loss(
        self, teacher_outputs: Any, student_outputs: Any, **kwargs: Any
    ) -> Any:
        losses = tree.map_structure(
            self._one_output, self.loss, teacher_outputs, student_outputs
        )
        # A plain sum: skipped outputs add a Python 0.0 on any device.
        return sum(tree.flatten(losses))

    def _one_output(self, loss_fn, teacher_logits, student_logits):
        if loss_fn is None:
            return 0.0
        teacher = teacher_logits / self.temperature
        student = student_logits / self.temperature
        if _is_kl_divergence(loss_fn):
            value = loss_fn(teacher.softmax(-1), student.softmax(-1)).mean()
            return value * self.temperature**2
        return loss_fn(teacher, student).mean()

    def get_config(self) -> dict:
        return {
            "temperature": self.temperature,
            "loss": serialize_losses(self.loss),
        }

    @classmethod
    def from_config(cls, config: dict) -> LogitsDistillation:
        config = dict(config)
        config["loss"] = deserialize_losses(config["loss"])
        return cls(**config)


def _is_kl_divergence(loss_fn) -> bool:
    from lamina import losses

    return isinstance(loss_fn, losses.KLDivergence) or loss_fn is (
        losses.kl_divergence
    )
