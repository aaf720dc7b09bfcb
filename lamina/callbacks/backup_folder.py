"""`BackupFolder`: the files of a `BackupAndRestore` backup.

A backup is a weights file, `backup-<n>.weights.h5` (the weights and the
optimizer state, written by `Model.save_weights`), and a JSON record,
`backup.json`, that names that file and holds the rest of the training
state (see `backup_state`). The order of the writes makes a crash at any
moment harmless:

1. the weights go to a new file, under a number never used before;
2. with `double_checkpoint`, the record of the backup being replaced is
   rewritten as `backup.previous.json`;
3. `backup.json` is replaced: from here on the new backup is the newest;
4. weights files that no record names are removed, with the temporary
   files of writes a crash cut short.

Each file is written atomically (`lamina.saving.atomic`), so a record
always names a whole weights file; a weights file that no record names yet
is ignored.
"""

from __future__ import annotations

from typing import Any

import json
import os
import re
import shutil

from lamina.callbacks import backup_state
from lamina.saving.archive_checks import open_regular_file
from lamina.saving.atomic import atomic_write

_RECORD = "backup.json"
_PREVIOUS_RECORD = "backup.previous.json"
_WEIGHTS = re.compile(r"^backup-(\d+)\.weights\.h5$")
_FORMAT = "lamina.BackupAndRestore/1"
_KEYS = ("format", "weights", "epoch", "step", "rng")
_MAX_RECORD_BYTES = 64 << 20  # A record is a few kB; its metrics, more.


class BackupFolder:
    """The backup files in `path` (only the process that writes, rank 0
    under `lamina.distribute`, calls the methods that write).

    Example:

    >>> import tempfile
    >>> folder = BackupFolder(tempfile.mkdtemp())
    >>> folder.has_backup(), folder.newest_number()
    (False, 0)
    >>> folder.new_record(1, epoch=3, step=0, rng={})["weights"]
    'backup-000001.weights.h5'
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.record_path = os.path.join(path, _RECORD)
        self.previous_path = os.path.join(path, _PREVIOUS_RECORD)

    def has_backup(self) -> bool:
        return os.path.exists(self.record_path)

    def newest_number(self) -> int:
        """The highest number among the weights files (0 if none), so that
        new backups never overwrite an existing file."""
        if not os.path.isdir(self.path):
            return 0
        names = map(_WEIGHTS.match, os.listdir(self.path))
        return max((int(m.group(1)) for m in names if m), default=0)

    def new_record(self, number: int, **state: Any) -> dict:
        """The record of backup `number`, holding `state`."""
        return {
            "format": _FORMAT,
            "weights": f"backup-{number:06d}.weights.h5",
            **state,
        }

    def weights_path(self, record: dict) -> str:
        return os.path.join(self.path, record["weights"])

    def make(self) -> None:
        os.makedirs(self.path, exist_ok=True)

    def delete(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def commit(self, record: dict, previous: dict | None) -> None:
        """Make `record` the newest backup (its weights file is written);
        keep `previous` as the fallback when it is not None."""
        keep = {record["weights"]}
        if previous is not None:
            _write_json(self.previous_path, previous)
            keep.add(previous["weights"])
        _write_json(self.record_path, record)
        for name in os.listdir(self.path):
            stale_temp = name.startswith(".backup") and name.endswith(".tmp")
            if stale_temp or (_WEIGHTS.match(name) and name not in keep):
                os.remove(os.path.join(self.path, name))

    def read(self, path: str, epochs: int | None = None) -> dict:
        """The record at `path` (`record_path` or `previous_path`), every
        field checked (`check_record`; `epoch` at most `epochs`).

        Raises:
            ValueError: the file is not a whole record (the message names
                it).
            OSError: it cannot be read.
        """
        try:
            with open_regular_file(path) as f:
                record = json.loads(f.read(_MAX_RECORD_BYTES).decode("utf-8"))
        except ValueError as error:  # UnicodeDecodeError, JSONDecodeError.
            raise ValueError(
                f"{path} is not a valid backup record ({error})."
            ) from None
        if (
            not isinstance(record, dict)
            or any(k not in record for k in _KEYS)
            or record["format"] != _FORMAT
        ):
            raise ValueError(
                f"{path} is not a valid backup record (written "
                "by another program or version)."
            )
        try:
            check_record(record, epochs)
        except ValueError as error:
            raise ValueError(
                f"{path} is not a valid backup record: {error}"
            ) from None
        return record


def check_record(record: dict, epochs: int | None = None) -> None:
    """Check every field of a record read back (the schema of `commit`),
    so that a tampered record is refused whole, before any state is
    restored from it; `epochs` bounds `epoch` when it is known.

    Raises:
        ValueError: naming the first field that does not fit.
    """
    weights = record["weights"]
    if not isinstance(weights, str) or not _WEIGHTS.match(weights):
        raise _invalid("weights", "a file name backup-<n>.weights.h5", weights)
    epoch, step = record["epoch"], record["step"]
    top = "" if epochs is None else f" and at most epochs={epochs}"
    if (
        not _is_int(epoch)
        or epoch < 0
        or (epochs is not None and epoch > epochs)
    ):
        raise _invalid("epoch", f"an integer >= 0{top}", epoch)
    if not _is_int(step) or step < 0:
        raise _invalid("step", "an integer >= 0", step)
    backup_state.check_rng(record["rng"], "rng")
    if step:
        backup_state.check_rng(record.get("epoch_rng"), "epoch_rng")
        backup_state.check_metrics(record.get("metrics"), "metrics")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _invalid(field: str, expected: str, value) -> ValueError:
    text = repr(value)
    text = text if len(text) <= 80 else text[:77] + "..."
    return ValueError(
        f"the field `{field}` must be {expected}. Received: {field}={text}"
    )


def _write_json(path: str, record: dict) -> None:
    data = json.dumps(record).encode("utf-8")
    atomic_write(path, lambda f: f.write(data))


__all__ = ["BackupFolder"]
