"""The checks a `Distiller` makes on its teacher and student, and the
feature extractors it builds for layer-level distillation losses."""

from __future__ import annotations

from typing import Any

from lamina.utils import tree


def check_models(teacher: Any, student: Any) -> None:
    """Both are lamina models with matching input and output shapes and
    dtypes (where the models are functional and those are known)."""
    from lamina.models import Model

    for role, model in (("Teacher", teacher), ("Student", student)):
        if not isinstance(model, Model):
            raise ValueError(
                f"{role} must be a lamina Model, got {type(model)}"
            )
    for kind in ("inputs", "outputs"):
        ours = getattr(teacher, kind, None)
        theirs = getattr(student, kind, None)
        if ours is None or theirs is None:
            continue
        context = kind[:-1]
        tree.map_structure(
            lambda t, s, c=context: _same_shape(t.shape, s.shape, c),
            ours,
            theirs,
        )
        tree.map_structure(
            lambda t, s, c=context: _same_dtype(t.dtype, s.dtype, c),
            ours,
            theirs,
        )


def _same_shape(teacher_shape, student_shape, context: str) -> None:
    if len(teacher_shape) != len(student_shape):
        raise ValueError(
            f"Teacher and student {context} shapes have different "
            f"dimensions. Teacher: {teacher_shape}, Student: {student_shape}."
        )
    for a, b in zip(teacher_shape, student_shape):
        if a is not None and b is not None and a != b:
            raise ValueError(
                f"Teacher and student {context} shapes are incompatible. "
                f"Teacher: {teacher_shape}, Student: {student_shape}. "
                "All dimensions must match."
            )


def _same_dtype(teacher_dtype, student_dtype, context: str) -> None:
    if teacher_dtype != student_dtype:
        raise ValueError(
            f"Teacher and student {context} dtypes must match. "
            f"Teacher: {teacher_dtype}, Student: {student_dtype}."
        )


def feature_extractor(model: Any, layer_names: list) -> Any:
    """A functional model returning `{"final_output": ..., name: that
    layer's output, ...}`, or `None` when no layer is named."""
    if not layer_names:
        return None
    from lamina.models import Model
    from lamina.models import Sequential

    if getattr(model, "inputs", None) is None:
        raise ValueError(
            f"Cannot create feature extractor for {model.name}. The model "
            "has no symbolic inputs attribute."
        )
    if isinstance(model, Sequential):
        final_output = model.layers[-1].output
    else:
        final_output = model.output
    outputs = {"final_output": final_output}
    for name in layer_names:
        outputs[name] = model.get_layer(name=name).output
    return Model(
        inputs=model.inputs,
        outputs=outputs,
        name=f"{model.name}_multi_feature_extractor",
    )


def layer_names(distillation_losses: list, attribute: str) -> list:
    """The distinct layer names the losses read (`teacher_layer_name` or
    `student_layer_name`), in order."""
    names: list = []
    for loss in distillation_losses:
        name = getattr(loss, attribute, None)
        if name and name not in names:
            names.append(name)
    return names
