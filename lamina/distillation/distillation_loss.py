"""`DistillationLoss`: the interface of what a `Distiller` minimises
between the teacher's and the student's outputs (or features)."""

from __future__ import annotations

from typing import Any

from lamina.utils import tree


def loss_function(identifier: Any) -> Any:
    """A loss from its name, a loss object or function, or `None` (that
    output is skipped)."""
    if identifier is None or not isinstance(identifier, str):
        return identifier
    from lamina import losses

    try:
        return losses.get(identifier)
    except ValueError:
        raise ValueError(f"Unknown loss function: '{identifier}'.") from None


def loss_structure(loss: Any, owner: str) -> Any:
    """`loss` (one, or a list/tuple/dict matching the outputs) with names
    resolved; at least one entry must be a loss."""
    resolved = tree.map_structure(loss_function, loss)
    if all(item is None for item in tree.flatten(resolved)):
        raise ValueError(
            f"The `loss` argument in `{owner}` must contain at least one "
            f"non-`None` value. Received: loss={loss!r}"
        )
    return resolved


def serialize_losses(loss: Any) -> Any:
    """`loss` (a structure of losses or `None`s) as JSON-ready configs."""
    from lamina import losses

    return tree.map_structure(
        lambda f: None if f is None else losses.serialize(f), loss
    )


def deserialize_losses(config: Any) -> Any:
    """The inverse of `serialize_losses`: a serialized loss is a dict with
    a `class_name` (or a name), anything else is a structure of them."""
    from lamina import losses

    if config is None:
        return None
    if isinstance(config, str) or (
        isinstance(config, dict) and "class_name" in config
    ):
        return losses.deserialize(config)
    if isinstance(config, dict):
        return {k: deserialize_losses(v) for k, v in config.items()}
    return type(config)(deserialize_losses(v) for v in config)


class DistillationLoss:
    """Base class of distillation losses.

    A subclass implements `compute_loss(teacher_outputs, student_outputs)`
    returning a scalar tensor. `validate_outputs` (called before each
    loss) checks that the two structures match; `validate_model_
    compatibility` (called when the `Distiller` is built) checks the two
    models.

    Example:

    >>> import torch
    >>> class MeanGap(DistillationLoss):
    ...     def compute_loss(self, teacher_outputs, student_outputs, **kw):
    ...         return (teacher_outputs - student_outputs).abs().mean()
    >>> MeanGap().compute_loss(torch.ones(2, 3), torch.zeros(2, 3))
    tensor(1.)
    """

    def compute_loss(
        self, teacher_outputs: Any, student_outputs: Any, **kwargs: Any
    ) -> Any:
        """The scalar loss between teacher and student outputs."""
        raise NotImplementedError("Subclasses must implement compute_loss")

    def validate_outputs(
        self, teacher_outputs: Any, student_outputs: Any
    ) -> None:
        """Raise if the outputs do not have the same structure."""
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher: Any, student: Any) -> None:
        """Raise if this loss cannot be used with these models."""

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> DistillationLoss:
        return cls(**config)
