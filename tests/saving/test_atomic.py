"""Temporary files that a killed save left behind are removed by the next
save to the same target, and nothing else is (issue 19)."""

import os
import time

import numpy as np

import lamina
from lamina.saving import atomic


def _file(folder, name, age_seconds):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(b"x" * 1000)
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return name


def test_next_save_removes_stale_temporaries_of_its_target(tmp_path):
    folder = str(tmp_path)
    old = 10**6  # seconds: long before this process started
    stale = [
        _file(folder, ".m.keras.a1b2c3d4.tmp", old),
        _file(folder, ".m.keras.zz_9x8y7.tmp", old),
    ]
    kept = [
        _file(folder, ".m.keras.fresh123.tmp", 0),  # a live writer's
        _file(folder, ".other.keras.a1b2c3d4.tmp", old),  # another target
        _file(folder, ".m.keras.a1b2c3d4.tmp.bak", old),  # not the pattern
        _file(folder, "m.keras.a1b2c3d4.tmp", old),  # not hidden
        _file(folder, ".m.keras.toolongname.tmp", old),
    ]
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    model.save(os.path.join(folder, "m.keras"))
    left = sorted(os.listdir(folder))
    assert not set(stale) & set(left)
    assert sorted(kept + ["m.keras"]) == left
    loaded = lamina.saving.load_model(os.path.join(folder, "m.keras"))
    np.testing.assert_array_equal(
        loaded.get_weights()[0], model.get_weights()[0]
    )


def test_weights_and_legacy_saves_clean_up_too(tmp_path):
    folder = str(tmp_path)
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    for target in ("w.weights.h5", "m.h5"):
        name = _file(folder, f".{target}.q1w2e3r4.tmp", 10**6)
        if target.endswith(".weights.h5"):
            model.save_weights(os.path.join(folder, target))
        else:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.save(os.path.join(folder, target))
        assert name not in os.listdir(folder)


def test_remove_stale_temporaries_reports_what_it_removed(tmp_path):
    name = _file(str(tmp_path), ".t.bin.abcdefgh.tmp", 10**6)
    removed = atomic.remove_stale_temporaries(str(tmp_path / "t.bin"))
    assert removed == [str(tmp_path / name)]
    assert atomic.remove_stale_temporaries(str(tmp_path / "t.bin")) == []
