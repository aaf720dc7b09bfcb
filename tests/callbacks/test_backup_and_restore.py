"""BackupAndRestore: a training process killed with SIGKILL and started
again ends with the weights of a run never interrupted; resuming starts at
the epoch Keras 3 starts at; damaged backups; bad arguments."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import lamina
from lamina.errors import LaminaWarning
from tests.keras_oracle import keras

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
SCRIPT = os.path.join(ROOT, "tests", "callbacks", "backup_script.py")

# name: (save_freq, kill point (epoch, batch), delete_checkpoint). With
# save_freq=3 (8 batches an epoch), the kill at batch 6 of epoch 2 comes
# one batch after the backup of step 5: training resumes inside the epoch.
KILLED = {"epoch": ("epoch", "2:3", "1"), "every_3": ("3", "2:6", "0")}


def _start(folder, name, save_freq, kill, delete):
    env = dict(os.environ, PYTHONPATH=ROOT, LAMINA_DEVICE="cpu")
    out = os.path.join(folder, f"{name}.npz")
    command = [
        sys.executable,
        SCRIPT,
        os.path.join(folder, name),
        save_freq,
        kill,
        out,
        delete,
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _wait(process):
    output, _ = process.communicate(timeout=300)
    return process.returncode, output.decode(errors="replace")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The reference run and the killed runs start together, then the
    killed ones are started again."""
    folder = str(tmp_path_factory.mktemp("kill"))
    first = {name: _start(folder, name, *spec) for name, spec in KILLED.items()}
    reference = _start(folder, "reference", "epoch", "none", "1")
    result = {"folder": folder}
    for name, process in first.items():
        result[name, "killed"] = _wait(process)
        result[name, "backup_after_kill"] = sorted(
            os.listdir(os.path.join(folder, name))
        )
    again = {
        name: _start(folder, name, save_freq, "none", delete)
        for name, (save_freq, _, delete) in KILLED.items()
    }
    for process in (reference, *again.values()):
        code, output = _wait(process)
        assert code == 0, output
    return result


def _load(folder, name):
    with np.load(os.path.join(folder, f"{name}.npz")) as f:
        return {key: f[key] for key in f.files}


@pytest.mark.parametrize("name", sorted(KILLED))
def test_killed_run_resumes_to_the_uninterrupted_weights(runs, name):
    code, output = runs[name, "killed"]
    assert code == -signal.SIGKILL, output
    assert "backup.json" in runs[name, "backup_after_kill"]
    reference = _load(runs["folder"], "reference")
    resumed = _load(runs["folder"], name)
    weights = sorted(k for k in reference if k.startswith("arr_"))
    assert len(weights) == 6
    for key in weights:
        np.testing.assert_allclose(
            resumed[key], reference[key], rtol=1e-6, atol=0
        )
    # The second run did epochs 2 and 3 only, with the same epoch losses
    # (mid-epoch, the loss of the batches before the backup is restored).
    assert resumed["epochs"].tolist() == [2, 3]
    np.testing.assert_allclose(
        resumed["loss"], reference["loss"][2:], rtol=1e-6
    )


def test_backup_deleted_at_the_end_unless_delete_checkpoint_false(runs):
    assert not os.path.exists(os.path.join(runs["folder"], "epoch"))
    kept = sorted(os.listdir(os.path.join(runs["folder"], "every_3")))
    assert kept == ["backup-000010.weights.h5", "backup.json"]
    with open(os.path.join(runs["folder"], "every_3", "backup.json")) as f:
        record = json.load(f)
    # 32 batches, a backup every 3: the last after 6 batches of epoch 3.
    assert (record["epoch"], record["step"]) == (3, 6)


# -- Against Keras 3 -----------------------------------------------------


def _interrupter(module, epoch, batch=None):
    class Interrupt(module.callbacks.Callback):
        def on_epoch_begin(self, index, logs=None):
            self.epoch = index
            if index == epoch and batch is None:
                raise RuntimeError("Interrupting!")

        def on_train_batch_begin(self, index, logs=None):
            if self.epoch == epoch and index == batch:
                raise RuntimeError("Interrupting!")

    return Interrupt()


def _model(module):
    model = module.Sequential([module.Input((20,)), module.layers.Dense(10)])
    model.compile(module.optimizers.SGD(0.01), loss="mse")
    return model


def _fit(module, callbacks, epochs):
    x = np.linspace(0, 1, 100, dtype="float32").reshape(5, 20)
    y = np.zeros((5, 10), "float32")
    return _model(module).fit(
        x, y, epochs=epochs, batch_size=1, verbose=0, callbacks=callbacks
    )


def _epochs_after_interruption(module, folder, epoch, batch, **kwargs):
    backup = module.callbacks.BackupAndRestore(str(folder), **kwargs)
    with pytest.raises(RuntimeError, match="Interrupting!"):
        _fit(module, [backup, _interrupter(module, epoch, batch)], 6)
    resumed = _fit(module, [backup], 6).epoch
    again = _fit(module, [backup], 6).epoch
    return resumed, again, os.path.isdir(folder)


@pytest.mark.parametrize(
    "epoch, batch, kwargs",
    [
        (4, None, {}),
        (2, 3, {"save_freq": 2}),
        (3, 0, {"save_freq": "epoch", "delete_checkpoint": False}),
    ],
)
def test_resumes_at_the_epoch_keras_resumes_at(tmp_path, epoch, batch, kwargs):
    ours = _epochs_after_interruption(
        lamina, tmp_path / "ours", epoch, batch, **kwargs
    )
    theirs = _epochs_after_interruption(
        keras, tmp_path / "keras", epoch, batch, **kwargs
    )
    assert ours == theirs
    assert ours[0] == list(range(epoch, 6))


# -- Damaged backups -----------------------------------------------------


class Snapshots(lamina.callbacks.Callback):
    """The weights at each epoch end, and when training begins (after the
    backup was restored, when it follows BackupAndRestore)."""

    def __init__(self):
        super().__init__()
        self.at_end, self.at_begin = [], None

    def on_train_begin(self, logs=None):
        self.at_begin = self.model.get_weights()

    def on_epoch_end(self, epoch, logs=None):
        self.at_end.append(self.model.get_weights())


def _three_epochs(folder, **kwargs):
    snapshots = Snapshots()
    backup = lamina.callbacks.BackupAndRestore(
        str(folder), delete_checkpoint=False, **kwargs
    )
    _fit(lamina, [backup, snapshots], 3)
    return snapshots.at_end


def _resume(folder, **kwargs):
    snapshots = Snapshots()
    backup = lamina.callbacks.BackupAndRestore(str(folder), **kwargs)
    history = _fit(lamina, [backup, snapshots], 5)
    return history.epoch, snapshots.at_begin


def _assert_same(a, b):
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


def _damage(path):
    with open(path, "wb") as f:
        f.write(b"\x00 not what was written \x00" * 10)


def test_damaged_newest_falls_back_to_previous_with_double_checkpoint(tmp_path):
    at_end = _three_epochs(tmp_path, double_checkpoint=True)
    assert sorted(os.listdir(tmp_path)) == [
        "backup-000002.weights.h5",
        "backup-000003.weights.h5",
        "backup.json",
        "backup.previous.json",
    ]
    _damage(tmp_path / "backup-000003.weights.h5")
    with pytest.warns(
        LaminaWarning,
        match=r"backup-000003\.weights\.h5.*"
        r"Restoring the previous backup",
    ):
        epochs, restored = _resume(tmp_path, double_checkpoint=True)
    assert epochs == [2, 3, 4]
    _assert_same(restored, at_end[1])  # The state after epoch 2.
    assert not tmp_path.exists()


@pytest.mark.parametrize("damaged", ["backup-000003.weights.h5", "backup.json"])
def test_damaged_backup_without_double_checkpoint_names_the_file(
    tmp_path, damaged
):
    _three_epochs(tmp_path)
    assert sorted(os.listdir(tmp_path)) == [
        "backup-000003.weights.h5",
        "backup.json",
    ]
    _damage(tmp_path / damaged)
    with pytest.raises(
        ValueError,
        match=f"cannot restore the backup in .*{damaged.replace('.', '[.]')}",
    ):
        _resume(tmp_path)


def _garbage_rng(record):
    record["rng"] = {"a": 1}


def _short_numpy_state(record):
    record["rng"]["numpy"][1] = record["rng"]["numpy"][1][:5]


def _bad_torch_state(record):
    record["rng"]["torch"] = "not base64 !"


def _step_without_epoch_rng(record):
    record["step"] = 3


@pytest.mark.parametrize(
    "tamper,field",
    [
        (lambda r: r.update(epoch=-3), "epoch=-3"),
        (lambda r: r.update(epoch=10**12), "epoch"),
        (lambda r: r.update(epoch="x"), "epoch='x'"),
        (lambda r: r.update(epoch=True), "epoch=True"),
        (lambda r: r.update(step=-1), "step=-1"),
        (lambda r: r.update(weights="../backup-000003.weights.h5"), "weights"),
        (_garbage_rng, "rng"),
        (_short_numpy_state, r"rng\.numpy\[1\]"),
        (_bad_torch_state, r"rng\.torch"),
        (_step_without_epoch_rng, "epoch_rng"),
    ],
)
def test_tampered_record_is_refused_naming_file_and_field(
    tmp_path, tamper, field
):
    _three_epochs(tmp_path)
    path = tmp_path / "backup.json"
    record = json.loads(path.read_text())
    tamper(record)
    path.write_text(json.dumps(record))
    with pytest.raises(
        ValueError,
        match=r"backup\.json is not a valid "
        rf"backup record: the field `.*{field}",
    ):
        _resume(tmp_path)


def test_tampered_newest_record_falls_back_whole_to_previous(tmp_path):
    at_end = _three_epochs(tmp_path, double_checkpoint=True)
    path = tmp_path / "backup.json"
    record = json.loads(path.read_text())
    record["epoch"] = -3
    path.write_text(json.dumps(record))
    with pytest.warns(LaminaWarning, match="field `epoch`"):
        epochs, restored = _resume(tmp_path, double_checkpoint=True)
    assert epochs == [2, 3, 4]
    _assert_same(restored, at_end[1])


def test_record_that_is_a_fifo_is_refused(tmp_path):
    _three_epochs(tmp_path)
    os.remove(tmp_path / "backup.json")
    os.mkfifo(tmp_path / "backup.json")
    with pytest.raises(ValueError, match="FIFO"):
        _resume(tmp_path)


def test_crash_mid_write_leaves_the_previous_backup_usable(tmp_path):
    at_end = _three_epochs(tmp_path)
    # What a kill during the next backup leaves: a temporary file cut
    # short, or a whole weights file that no record names yet.
    _damage(tmp_path / ".backup-000004.weights.h5.x1y2.tmp")
    _damage(tmp_path / "backup-000004.weights.h5")
    _damage(tmp_path / ".backup.json.z3.tmp")
    epochs, restored = _resume(tmp_path, delete_checkpoint=False)
    assert epochs == [3, 4]
    _assert_same(restored, at_end[2])
    # The next backups took new names, and the leftovers are gone.
    assert sorted(os.listdir(tmp_path)) == [
        "backup-000006.weights.h5",
        "backup.json",
    ]


def test_a_later_fit_does_not_resume_again(tmp_path):
    backup = lamina.callbacks.BackupAndRestore(str(tmp_path))
    with pytest.raises(RuntimeError):
        _fit(lamina, [backup, _interrupter(lamina, 2)], 4)
    model = _model(lamina)
    x, y = np.ones((5, 20), "float32"), np.zeros((5, 10), "float32")
    assert model.fit(x, y, epochs=4, verbose=0, callbacks=[backup]).epoch == [
        2,
        3,
    ]
    assert model.fit(x, y, epochs=4, verbose=0).epoch == [0, 1, 2, 3]


# -- Bad input ----------------------------------------------------------


@pytest.mark.parametrize("backup_dir", ["", None])
def test_empty_backup_dir(backup_dir):
    with pytest.raises(ValueError, match="backup_dir"):
        keras.callbacks.BackupAndRestore(backup_dir)
    with pytest.raises(
        ValueError,
        match=r"argument `backup_dir` of "
        rf"BackupAndRestore.*Received: backup_dir="
        rf"{backup_dir!r}",
    ):
        lamina.callbacks.BackupAndRestore(backup_dir)


@pytest.mark.parametrize("save_freq", ["batch", "5", 1.5, None])
def test_save_freq_neither_epoch_nor_an_integer(tmp_path, save_freq):
    with pytest.raises(ValueError, match="save_freq"):
        keras.callbacks.BackupAndRestore(str(tmp_path), save_freq=save_freq)
    with pytest.raises(
        ValueError,
        match=rf"`save_freq` of BackupAndRestore"
        rf".*Received: save_freq={save_freq!r}",
    ):
        lamina.callbacks.BackupAndRestore(str(tmp_path), save_freq=save_freq)


@pytest.mark.parametrize("save_freq", [0, -2, True])
def test_save_freq_must_be_positive(tmp_path, save_freq):
    # Keras takes these and then backs up after every batch.
    with pytest.raises(
        ValueError,
        match=rf"a positive integer.*Received: "
        rf"save_freq={save_freq!r}",
    ):
        lamina.callbacks.BackupAndRestore(str(tmp_path), save_freq=save_freq)


def test_unbuilt_model_builds_from_arrays_but_not_a_generator(tmp_path):
    # As Keras, `fit` builds an unbuilt model from the first batch before
    # callbacks run; a generator cannot be peeked at, so there the model
    # must be built first.
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    model = lamina.Sequential([lamina.layers.Dense(1)])
    model.compile("sgd", loss="mse")
    backup = lamina.callbacks.BackupAndRestore(str(tmp_path / "b"))
    model.fit(x, y, epochs=2, verbose=0, callbacks=[backup])
    fresh = lamina.Sequential([lamina.layers.Dense(1)])
    fresh.compile("sgd", loss="mse")
    with pytest.raises(
        ValueError,
        match="BackupAndRestore needs a built "
        "model before `fit\\(\\)`: model 'sequential",
    ):
        fresh.fit(
            iter([(x, y)]),
            verbose=0,
            callbacks=[lamina.callbacks.BackupAndRestore(str(tmp_path / "c"))],
        )


# -- Two processes (lamina.distribute) -----------------------------------


def _two_rank_run(folder):
    """Interrupted, then resumed, on each of two ranks: who wrote what."""
    from lamina.callbacks import backup_folder
    from lamina.saving import saving_api

    writes = []
    for module, name in (
        (backup_folder, "_write_json"),
        (saving_api, "save_weights"),
    ):
        original = getattr(module, name)

        def spy(*args, _original=original, **kwargs):
            path = next(a for a in args if isinstance(a, str))
            writes.append(os.path.basename(path))
            return _original(*args, **kwargs)

        setattr(module, name, spy)
    x = np.linspace(-1, 1, 96, dtype="float32").reshape(32, 3)
    y = x.sum(axis=1, keepdims=True)

    def fit(callbacks):
        lamina.utils.set_random_seed(1)
        model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
        model.compile(lamina.optimizers.Adam(0.01), loss="mse")
        history = model.fit(
            x, y, batch_size=8, epochs=4, verbose=0, callbacks=callbacks
        )
        return history.epoch, model.get_weights()

    backup = lamina.callbacks.BackupAndRestore(folder, save_freq=3)
    try:
        fit([backup, _interrupter(lamina, 2, 1)])
    except RuntimeError:
        pass
    epochs, weights = fit([backup])
    return {
        "writes": writes,
        "epochs": epochs,
        "weights": [w.tolist() for w in weights],
    }


def test_only_rank_0_writes_under_distribute(tmp_path):
    rank0, rank1 = lamina.distribute.launch(
        _two_rank_run, 2, str(tmp_path / "b"), timeout=60, start_method="fork"
    )
    assert rank1["writes"] == []
    assert "backup.json" in rank0["writes"]
    assert any(w.endswith(".weights.h5") for w in rank0["writes"])
    assert rank0["epochs"] == rank1["epochs"] == [2, 3]
    assert rank0["weights"] == rank1["weights"]
    assert not (tmp_path / "b").exists()
