"""Knowledge distillation (Keras's `keras.distillation`): a `Distiller`
model training a student against a frozen teacher, and the losses that
compare them."""

from lamina.distillation.distillation_loss import (
    DistillationLoss as DistillationLoss,
)
from lamina.distillation.distiller import Distiller as Distiller
from lamina.distillation.feature_distillation import (
    FeatureDistillation as FeatureDistillation,
)
from lamina.distillation.logits_distillation import (
    LogitsDistillation as LogitsDistillation,
)

__all__ = [
    "DistillationLoss",
    "Distiller",
    "FeatureDistillation",
    "LogitsDistillation",
]
