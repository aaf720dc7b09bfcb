"""`SwapEMAWeights`: evaluate and predict with the optimizer's moving
averages of the weights."""

from __future__ import annotations

from typing import Any

import torch

from lamina.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swaps a model's weights with their exponential moving averages
    (kept by an optimizer created with `use_ema=True`) for evaluation and
    prediction, and back afterwards.

    Validation inside `fit` is an evaluation too, so `val_*` metrics are
    those of the averaged weights. With `swap_on_epoch=True` the averaged
    weights are also in the model between epochs (for the callbacks that
    run at an epoch's end, e.g. `ModelCheckpoint`), and the training
    weights come back at the next epoch's start.

    Args:
        swap_on_epoch: also hold the averaged weights between epochs.

    Raises:
        ValueError: the model's optimizer does not keep moving averages.

    Example:

    >>> import numpy as np, lamina
    >>> model = lamina.Sequential([lamina.Input((2,)),
    ...                            lamina.layers.Dense(1)])
    >>> model.compile(lamina.optimizers.SGD(use_ema=True), loss="mse")
    >>> x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    >>> _ = model.fit(x, y, epochs=2, verbose=0,
    ...               callbacks=[lamina.callbacks.SwapEMAWeights()])
    """

    def __init__(self, swap_on_epoch: bool = False) -> None:
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _optimizers(self) -> list:
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if not getattr(optimizer, "use_ema", False) or not hasattr(
            optimizer, "_model_variables_moving_average"
        ):
            raise ValueError(
                "SwapEMAWeights must be used when `use_ema=True` is set on "
                "the optimizer. Received: use_ema="
                f"{getattr(optimizer, 'use_ema', None)}"
            )
        return [optimizer]

    def _pairs(self):
        """(weight, its moving average) for every optimizer with EMA."""
        for optimizer in self._optimizers():
            yield from zip(
                optimizer._trainable_variables,
                optimizer._model_variables_moving_average,
            )

    @torch.no_grad()
    def _swap(self) -> None:
        for var, average in self._pairs():
            held = var.detach().clone()
            var.copy_(average)
            average.copy_(held)

    @torch.no_grad()
    def _finalize(self) -> None:
        # `fit` ends by copying the averages into the weights; the averages
        # are in the model now, so put them back where it reads them.
        for var, average in self._pairs():
            average.copy_(var)

    def _to_ema(self) -> None:
        if not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True

    def _to_training(self) -> None:
        if self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        if self.swap_on_epoch:
            self._to_training()

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._to_ema()
            if epoch == self.params["epochs"] - 1:
                self._finalize()

    def on_test_begin(self, logs: Any = None) -> None:
        self._to_ema()

    def on_test_end(self, logs: Any = None) -> None:
        self._to_training()

    def on_predict_begin(self, logs: Any = None) -> None:
        self._to_ema()

    def on_predict_end(self, logs: Any = None) -> None:
        self._to_training()
