"""Damaged files, files that are not files, and memory bombs: loading
either works or raises the documented `ValueError` / `OSError`, never
crashes the interpreter, blocks, or allocates far more than the model
holds (issue 19)."""

import json
import os
import subprocess
import sys

import pytest

import lamina
from lamina.saving import archive_checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
SCAN = os.path.join(ROOT, "scripts", "byteflip_scan.py")


def _scan(*args, timeout=600):
    out = subprocess.run(
        [sys.executable, SCAN, *args],
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "KERAS_BACKEND": "torch"},
    )
    assert out.stdout, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_byte_flips_sampled():
    """Every file kind, sampled offsets plus the bytes after each
    `keras_version` (where a flip once turned a string attribute into a
    variable-length sequence whose read crashed the interpreter); each
    mutant is loaded by `load_model` and `load_weights` in a worker
    process, so a crash is caught and reported. The scan over every
    offset is `python scripts/byteflip_scan.py` (for CI)."""
    result = _scan("--sample", "12", "--around", "keras_version")
    assert result["checked"] > 60
    assert result["failures"] == []


# -- paths that are not regular files -----------------------------------------


def _tiny():
    return lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])


@pytest.mark.parametrize(
    "name", ["model.keras", "model.h5", "model.weights.h5"]
)
def test_fifo_is_refused_without_blocking(tmp_path, name):
    path = str(tmp_path / name)
    os.mkfifo(path)
    with pytest.raises(ValueError, match="FIFO.*not a regular file"):
        if name == "model.weights.h5":
            _tiny().load_weights(path)
        else:
            lamina.saving.load_model(path)


def test_device_is_refused(tmp_path):
    link = str(tmp_path / "zero.keras")
    os.symlink("/dev/zero", link)
    with pytest.raises(ValueError, match="character device"):
        lamina.saving.load_model(link)
    with pytest.raises(ValueError, match="character device"):
        _tiny().load_weights(link)


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(IsADirectoryError, match="folder"):
        lamina.saving.load_model(
            str(tmp_path / "d.keras")
            if os.mkdir(tmp_path / "d.keras") is None
            else None
        )
    with pytest.raises(FileNotFoundError):
        lamina.saving.load_model(str(tmp_path / "none.keras"))


def test_open_binary_file_object_loads(tmp_path):
    model = _tiny()
    path = str(tmp_path / "m.keras")
    model.save(path)
    with open(path, "rb") as f:
        loaded = lamina.saving.load_model(f)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        assert (a == b).all()
    with (
        open(path, "r", encoding="latin-1") as f,
        pytest.raises(ValueError, match="binary mode"),
    ):
        lamina.saving.load_model(f)


def test_file_object_size_is_bounded(tmp_path, monkeypatch):
    path = str(tmp_path / "m.keras")
    _tiny().save(path)
    monkeypatch.setattr(archive_checks, "MAX_ARCHIVE_BYTES", 100)
    with (
        open(path, "rb") as f,
        pytest.raises(ValueError, match="more than the limit"),
    ):
        lamina.saving.load_model(f)
