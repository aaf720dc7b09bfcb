"""`TensorBoard`: write metrics and weight histograms for TensorBoard,
through `torch.utils.tensorboard` (the optional `tensorboard` package)."""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.callbacks.reduce_lr_on_plateau import log_learning_rates
from lamina.errors import invalid_argument


def _summary_writer_class() -> type:
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as e:
        raise ImportError(
            "The TensorBoard callback needs the `tensorboard` package, which "
            "is not installed. Install it with `pip install tensorboard`."
        ) from e
    return SummaryWriter


def _named_weights(model: Any) -> list[tuple[str, Any]]:
    """(name, tensor) pairs: Keras weight paths when the model has them."""
    weights = getattr(model, "weights", None) or []
    if weights and all(hasattr(w, "path") for w in weights):
        return [(w.path.replace(":", "_"), w) for w in weights]
    named = getattr(model, "named_parameters", None)
    if named is None:
        return []
    return [(name.replace(".", "/"), p) for name, p in named()]


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    Writes, under `log_dir/train` and `log_dir/validation`, the epoch
    metrics (`epoch_loss`, `epoch_learning_rate`, ...), batch metrics when
    `update_freq` is a number of batches, weight histograms every
    `histogram_freq` epochs, and after each validation run the
    `evaluation_<metric>_vs_iterations` scalars. View them with
    `tensorboard --logdir=log_dir`. Needs `pip install tensorboard`.

    Args:
        log_dir: Directory of the log files; not shared with other
            callbacks.
        histogram_freq: Frequency (in epochs) of weight histograms; 0 for
            none.
        write_graph: Accepted for compatibility; the graph is not written.
        write_images: Not supported; must be `False`.
        write_steps_per_second: Whether to log the training steps per
            second.
        update_freq: `"epoch"`, `"batch"` (every batch) or an integer
            number of batches between writes of the batch metrics.
        profile_batch: Not supported (use `torch.profiler`); must be 0.
        embeddings_freq: Not supported; must be 0.
        embeddings_metadata: Not supported; must be `None`.

    Example:

    ```python
    tensorboard = lamina.callbacks.TensorBoard(log_dir="./logs")
    model.fit(x, y, epochs=2, callbacks=[tensorboard])
    ```
    """

    def __init__(
        self,
        log_dir: str | os.PathLike = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: str | int = "epoch",
        profile_batch: int = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Any = None,
    ) -> None:
        super().__init__()
        unsupported = {
            "write_images": (write_images, False),
            "profile_batch": (profile_batch, 0),
            "embeddings_freq": (embeddings_freq, 0),
            "embeddings_metadata": (embeddings_metadata, None),
        }
        for arg, (value, default) in unsupported.items():
            if value != default:
                raise ValueError(
                    invalid_argument(
                        "TensorBoard",
                        arg,
                        f"{default!r} (not supported)",
                        value,
                    )
                )
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (
            not isinstance(update_freq, int) or update_freq < 1
        ):
            raise ValueError(
                invalid_argument(
                    "TensorBoard",
                    "update_freq",
                    "'epoch', 'batch' or a positive integer",
                    update_freq,
                )
            )
        _summary_writer_class()  # A missing package fails here, not later.
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = update_freq
        self._writers = {}
        self._global_train_batch = 0
        self._batch_start_time = 0.0
        self._epoch_start_time = 0.0
        self._epoch_batches = 0

    @property
    def needs_batch_logs(self) -> bool:
        return self.update_freq != "epoch" or self.write_steps_per_second

    def _writer(self, kind: str) -> Any:
        # Created on first use, so that no empty event files appear.
        if kind not in self._writers:
            folder = "train" if kind == "train" else "validation"
            writer_class = _summary_writer_class()
            path = os.path.join(self.log_dir, folder)
            self._writers[kind] = writer_class(log_dir=path)
        return self._writers[kind]

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._global_train_batch = 0

    def on_train_end(self, logs: dict | None = None) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch_start_time = time.perf_counter()
        self._epoch_batches = 0

    def on_train_batch_begin(
        self, batch: int, logs: dict | None = None
    ) -> None:
        self._global_train_batch += 1
        self._epoch_batches += 1
        self._batch_start_time = time.perf_counter()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        step = self._global_train_batch
        writer = None
        if self.write_steps_per_second:
            seconds = time.perf_counter() - self._batch_start_time
            writer = self._writer("train")
            writer.add_scalar("batch_steps_per_second", 1.0 / seconds, step)
        if self.update_freq == "epoch" or step % self.update_freq:
            return
        writer = writer or self._writer("train")
        for name, value in (logs or {}).items():
            if np.ndim(value) == 0:
                writer.add_scalar(f"batch_{name}", value, step)

    def on_test_end(self, logs: dict | None = None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        if iterations is None:
            return
        step = int(iterations)
        writer = self._writer("validation")
        for name, value in (logs or {}).items():
            writer.add_scalar(f"evaluation_{name}_vs_iterations", value, step)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._log_epoch_metrics(epoch, logs or {})
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _log_epoch_metrics(self, epoch: int, logs: dict) -> None:
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        if getattr(self.model, "optimizer", None) is not None:
            log_learning_rates(self.model, train)
        if self.write_steps_per_second:
            seconds = time.perf_counter() - self._epoch_start_time
            train["steps_per_second"] = self._epoch_batches / seconds
        for kind, values in (("train", train), ("validation", val)):
            if values:
                writer = self._writer(kind)
                for name, value in values.items():
                    writer.add_scalar(f"epoch_{name}", value, epoch)

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for name, weight in _named_weights(self.model):
            if hasattr(weight, "detach"):
                weight = weight.detach().cpu().float().numpy()
            writer.add_histogram(f"{name}/histogram", np.asarray(weight), epoch)
        writer.flush()
