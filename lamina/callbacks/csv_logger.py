"""`CSVLogger`: stream each epoch's logs to a CSV file."""

from __future__ import annotations

import collections.abc
import csv
import os
from typing import Any

import numpy as np

from lamina.callbacks.callback import Callback


def _csv_value(value: Any) -> Any:
    if isinstance(value, str):
        return value
    is_scalar_array = isinstance(value, np.ndarray) and value.ndim == 0
    if isinstance(value, collections.abc.Iterable) and not is_scalar_array:
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Callback that streams epoch results to a CSV file.

    The columns are `epoch` and the log keys of the first epoch, sorted;
    when those hold no validation keys, `val_` columns are added for them
    (so that runs with and without validation share a header). Vectors are
    written as `"[a, b]"`.

    Args:
        filename: Path of the CSV file, e.g. `'run/log.csv'`.
        separator: String used to separate the fields.
        append: Whether to append to an existing file (resuming training)
            instead of overwriting it.

    Example:

    >>> import os, tempfile
    >>> import lamina
    >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> logger = lamina.callbacks.CSVLogger(path)
    >>> logger.on_train_begin()
    >>> logger.on_epoch_end(0, {"loss": 0.5})
    >>> logger.on_train_end()
    >>> print(open(path).read().splitlines())
    ['epoch,loss,val_loss', '0,0.5,NA']
    """

    def __init__(
        self,
        filename: str | os.PathLike,
        separator: str = ",",
        append: bool = False,
    ) -> None:
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not f.readline()
            mode = "a"
        else:
            mode = "w"
        self._close()
        # newline="" lets the csv module choose line endings (Keras's \r\n).
        self.csv_file = open(self.filename, mode, newline="")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                self.keys += [f"val_{k}" for k in self.keys]
        if self.writer is None:
            self.writer = self._make_writer()
        row = {"epoch": epoch}
        row.update((k, _csv_value(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def _make_writer(self) -> csv.DictWriter:
        if self.csv_file is None:
            raise ValueError(
                "CSVLogger received `on_epoch_end` before `on_train_begin`: "
                f"the file {self.filename!r} is not open. Pass the callback "
                "to `fit()`, which calls `on_train_begin` first."
            )
        dialect = type("Dialect", (csv.excel,), {"delimiter": self.sep})
        writer = csv.DictWriter(
            self.csv_file, fieldnames=["epoch", *self.keys], dialect=dialect
        )
        if self.append_header:
            writer.writeheader()
        return writer

    def on_train_end(self, logs: dict | None = None) -> None:
        self._close()
        self.writer = None

    def _close(self) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
