"""Dataset pickles may build NumPy arrays and nothing else."""

import io
import os
import pickle
import shlex
import zipfile

import numpy as np
import pytest

from lamina.datasets import safe_pickle


class Payload:
    """Unpickling this runs a shell command that creates `marker`."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, ("touch " + shlex.quote(self.marker),)


def test_payload_runs_under_plain_pickle(tmp_path):
    # Control: shows the payload is live, so the refusals below mean something.
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Payload(marker)))
    assert marker.exists()


def test_os_system_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "batch"
    path.write_bytes(pickle.dumps({b"data": Payload(marker)}))
    with pytest.raises(
        pickle.UnpicklingError,
        match=r"Refusing to load the global `(posix|nt)\."
        r"system`",
    ):
        safe_pickle.load_pickle(str(path), encoding="bytes")
    assert not marker.exists()


# Protocol 2 is left out: Python 3 pickles bytes under it through
# `_codecs.encode`, a global real (Python 2) CIFAR files never use.
@pytest.mark.parametrize("protocol", [3, 4, 5])
def test_arrays_lists_and_dicts_load(tmp_path, protocol):
    value = {
        b"data": np.arange(12, dtype=np.uint8).reshape(3, 4),
        b"labels": [1, 2, 3],
        b"name": b"batch",
        "f": 1.5,
    }
    path = tmp_path / "ok"
    path.write_bytes(pickle.dumps(value, protocol=protocol))
    loaded = safe_pickle.load_pickle(str(path), encoding="bytes")
    assert loaded.keys() == value.keys()
    np.testing.assert_array_equal(loaded[b"data"], value[b"data"])
    assert loaded[b"data"].dtype == np.uint8
    assert loaded[b"labels"] == [1, 2, 3] and loaded["f"] == 1.5


def test_numpy_1_module_names_load(tmp_path):
    # Files written under NumPy 1 (and Python 2) name `numpy.core`.
    body = pickle.dumps(np.arange(5, dtype=np.int16), protocol=3)
    assert b"numpy._core.multiarray" in body
    path = tmp_path / "old"
    path.write_bytes(
        body.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    )
    loaded = safe_pickle.load_pickle(str(path))
    np.testing.assert_array_equal(loaded, np.arange(5, dtype=np.int16))


def test_other_numpy_globals_are_refused(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(pickle.dumps(np.load))
    with pytest.raises(pickle.UnpicklingError, match="numpy.*load"):
        safe_pickle.load_pickle(str(path))


def _npy_with_pickle(body):
    stream = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        stream, {"descr": "|O", "fortran_order": False, "shape": (1,)}
    )
    return stream.getvalue() + body


def test_npz_object_array_payload_is_refused(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "y_train.npy",
            _npy_with_pickle(
                pickle.dumps(
                    np.array([Payload(marker)], dtype=object), protocol=3
                )
            ),
        )
    with pytest.raises(pickle.UnpicklingError, match="posix.system|nt.system"):
        safe_pickle.load_npz(str(path))
    assert not marker.exists()


def test_npz_numeric_and_object_arrays(tmp_path):
    ragged = np.empty(2, dtype=object)
    ragged[0], ragged[1] = [1, 2, 3], [4]
    path = tmp_path / "ok.npz"
    np.savez(path, x=ragged, y=np.array([0, 1]), z=np.ones((2, 2), "f4"))
    loaded = safe_pickle.load_npz(str(path))
    assert sorted(loaded) == ["x", "y", "z"]
    assert loaded["x"].dtype == object and list(loaded["x"]) == [[1, 2, 3], [4]]
    assert loaded["y"].dtype == np.int64
    np.testing.assert_array_equal(loaded["z"], np.ones((2, 2), "f4"))
    assert loaded["z"].dtype == np.float32
