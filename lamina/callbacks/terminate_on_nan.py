"""`TerminateOnNaN`: stop training when the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from lamina.callbacks.callback import Callback
from lamina.utils.progbar import print_msg


class TerminateOnNaN(Callback):
    """Callback that terminates training when a NaN or Inf loss is seen.

    It checks the `loss` of every training batch, so it makes `fit` read the
    loss back from the device each step.

    Args:
        raise_error: If `False` (default), stop gracefully by setting
            `model.stop_training` (other callbacks still get
            `on_train_end`). If `True`, raise a `RuntimeError` at once.

    Example:

    >>> import lamina
    >>> class Model:
    ...     stop_training = False
    >>> callback = lamina.callbacks.TerminateOnNaN()
    >>> callback.set_model(Model())
    >>> callback.on_train_batch_end(3, {"loss": float("nan")})
    Batch 3: Invalid loss, terminating training
    >>> callback.model.stop_training
    True
    """

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error
        self.stop_reason = None

    @property
    def needs_batch_logs(self) -> bool:
        return True

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(loss)
        if math.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. "
                f"Loss value: {loss}. Terminating training immediately."
            )
        print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.stop_reason = f"invalid loss {loss} at batch {batch}."
        self.model.stop_training = True
