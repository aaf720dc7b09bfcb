"""The public entry points: paths and extensions, atomic writes, weights
dispatch, and the JSON form of a model, against Keras where it has the
behaviour."""

import json
import os
import stat
import zipfile

import numpy as np
import pytest

import lamina
from lamina.saving import keras_archive
from lamina.saving import saving_api
from tests.keras_oracle import keras, to_numpy


def _model(lib=lamina, units=2):
    return lib.Sequential(
        [lib.Input((3,)), lib.layers.Dense(units)], name="api"
    )


def test_exports():
    assert lamina.saving.save_model is saving_api.save_model
    assert lamina.saving.load_model is saving_api.load_model
    assert lamina.models.save_model is saving_api.save_model
    assert lamina.models.load_model is saving_api.load_model
    assert lamina.models.model_from_json is saving_api.model_from_json
    for name in ("save_model", "load_model", "model_from_json", "clone_model"):
        assert name in lamina.models.__all__
        assert hasattr(keras.models, name)


# -- extensions and arguments -------------------------------------------------


@pytest.mark.parametrize(
    "name", ["model", "model.weights.h5", "model.txt", "model.keras.zip"]
)
def test_save_needs_keras_extension(tmp_path, name):
    path = str(tmp_path / name)
    with pytest.raises(ValueError) as info:
        _model().save(path)
    message = str(info.value)
    assert "`.keras`" in message and ".weights.h5" in message
    assert path in message
    assert os.listdir(tmp_path) == []


def test_keras_also_refuses_unknown_extensions(tmp_path):
    with pytest.raises(ValueError, match=r"\.keras"):
        _model(keras).save(str(tmp_path / "model.txt"))


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"save_format": "tf"}, "save_format"),
        ({"zipped": False}, "zipped=False"),
        ({"signatures": None}, "signatures"),
    ],
)
def test_unsupported_save_arguments(tmp_path, kwargs, words):
    with pytest.raises(ValueError, match=words):
        _model().save(str(tmp_path / "m.keras"), **kwargs)


def test_include_optimizer_and_save_format_keras_accepted(tmp_path):
    path = str(tmp_path / "m.keras")
    saving_api.save_model(
        _model(), path, include_optimizer=False, save_format="keras"
    )
    assert lamina.models.load_model(path).name == "api"


def test_load_needs_keras_extension(tmp_path):
    with pytest.raises(ValueError, match=r"expected a `\.keras` extension"):
        lamina.models.load_model(str(tmp_path / "m.zip"))
    with pytest.raises(ValueError, match="expected a path"):
        lamina.models.load_model(3)


def test_pathlike_paths(tmp_path):
    path = tmp_path / "p.keras"
    _model().save(path)
    assert lamina.saving.load_model(path).name == "api"


# -- where the file goes ------------------------------------------------------


def test_missing_folder_is_oserror(tmp_path):
    path = str(tmp_path / "no" / "such" / "m.keras")
    with pytest.raises(FileNotFoundError) as info:
        _model().save(path)
    assert path in str(info.value) and "does not exist" in str(info.value)


def test_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    path = str(blocker / "m.keras")
    with pytest.raises(OSError, match="m.keras"):
        _model().save(path)


def test_unwritable_folder(tmp_path):
    # /proc refuses new files even for root, where chmod would not.
    path = "/proc/lamina_test_model.keras"
    with pytest.raises(OSError) as info:
        _model().save(path)
    assert path in str(info.value)
    assert not os.path.exists(path)


def test_target_is_a_folder(tmp_path):
    (tmp_path / "dir.keras").mkdir()
    with pytest.raises(IsADirectoryError, match="dir.keras"):
        _model().save(str(tmp_path / "dir.keras"))


def test_overwrite_false(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(str(path))
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=False"):
        _model(units=4).save(str(path), overwrite=False)
    assert path.read_bytes() == before


def test_new_file_has_ordinary_permissions(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(str(path))
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    os.chmod(path, 0o640)
    _model().save(str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# -- atomic writes ------------------------------------------------------------


def _listing(folder):
    return sorted(os.listdir(folder))


def test_failure_halfway_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    _model().save(str(path))
    before = path.read_bytes()
    listing = _listing(tmp_path)
    calls = []
    original = keras_archive.write_member

    def fail_on_second(zf, name, data):
        calls.append(name)
        original(zf, name, data)
        if len(calls) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(keras_archive, "write_member", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        _model(units=4).save(str(path))
    assert calls == ["metadata.json", "config.json"]
    assert path.read_bytes() == before
    assert _listing(tmp_path) == listing  # no temporary file left
    assert lamina.models.load_model(str(path)).output_shape == (None, 2)


def test_failure_before_writing_leaves_nothing(tmp_path, monkeypatch):
    def boom(model):
        raise RuntimeError("cannot read weights")

    monkeypatch.setattr(keras_archive, "weights_bytes", boom)
    with pytest.raises(RuntimeError, match="cannot read weights"):
        _model().save(str(tmp_path / "m.keras"))
    assert _listing(tmp_path) == []


def test_interrupt_during_write_cleans_up(tmp_path, monkeypatch):
    def interrupt(zf, name, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(keras_archive, "write_member", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _model().save(str(tmp_path / "m.keras"))
    assert _listing(tmp_path) == []


def test_unserializable_model_writes_nothing(tmp_path):
    class Opaque(lamina.layers.Layer):
        def __init__(self, table, **kwargs):
            super().__init__(**kwargs)
            self.table = table

        def get_config(self):
            return {**super().get_config(), "table": object()}

        def call(self, x):
            return x

    model = lamina.Sequential([lamina.Input((3,)), Opaque(table=1)])
    with pytest.raises(TypeError, match="Cannot serialize"):
        model.save(str(tmp_path / "m.keras"))
    assert _listing(tmp_path) == []


# -- weights dispatch ---------------------------------------------------------


def test_load_weights_from_a_keras_archive(tmp_path, rng):
    source = _model()
    path = str(tmp_path / "m.keras")
    source.save(path)
    target = _model()
    saving_api.load_weights(target, path)
    x = rng.normal(size=(2, 3)).astype("float32")
    np.testing.assert_allclose(
        target.predict(x, verbose=0), source.predict(x, verbose=0)
    )


def test_load_weights_from_keras_written_archive(tmp_path, rng):
    k_model = _model(keras)
    path = str(tmp_path / "k.keras")
    k_model.save(path)
    target = _model()
    saving_api.load_weights(target, path)
    x = rng.normal(size=(2, 3)).astype("float32")
    np.testing.assert_allclose(
        target.predict(x, verbose=0), to_numpy(k_model(x)), rtol=1e-6
    )


def test_weights_h5_dispatch(tmp_path, rng):
    source, target = _model(), _model()
    path = str(tmp_path / "w.weights.h5")
    saving_api.save_weights(source, path)
    saving_api.load_weights(target, path)
    for a, b in zip(source.get_weights(), target.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weights_dispatch_errors(tmp_path):
    model = _model()
    with pytest.raises(ValueError, match="File format not supported"):
        saving_api.load_weights(model, str(tmp_path / "w.txt"))
    with pytest.raises(ValueError, match="weights.h5"):
        saving_api.save_weights(model, str(tmp_path / "w.keras"))
    with pytest.raises(ValueError, match="not supported"):
        saving_api.load_weights(model, str(tmp_path / "w.keras"), by="x")
    with pytest.raises(ValueError, match="max_shard_size"):
        saving_api.save_weights(
            model, str(tmp_path / "w.weights.h5"), max_shard_size=1.0
        )


def test_load_weights_mismatch_and_skip(tmp_path):
    path = str(tmp_path / "m.keras")
    _model().save(path)
    wider = _model(units=4)
    with pytest.raises(ValueError, match=r"checkpoint has \(3, 2\)"):
        saving_api.load_weights(wider, path)
    before = [w.copy() for w in wider.get_weights()]
    with pytest.warns(UserWarning, match="skipped"):
        saving_api.load_weights(wider, path, skip_mismatch=True)
    for a, b in zip(before, wider.get_weights()):
        np.testing.assert_array_equal(a, b)


# -- JSON ---------------------------------------------------------------------


def test_to_json_round_trip(rng):
    model = _model()
    text = model.to_json(indent=2)
    assert "\n" in text
    clone = lamina.models.model_from_json(text)
    assert json.loads(clone.to_json()) == json.loads(text)
    assert clone.get_layer(index=0) is not model.get_layer(index=0)


def test_to_json_is_read_by_keras_and_back(rng):
    x = rng.normal(size=(2, 3)).astype("float32")
    l_model = _model()
    k_model = keras.models.model_from_json(l_model.to_json())
    k_model.set_weights(l_model.get_weights())
    np.testing.assert_allclose(
        to_numpy(k_model(x)), l_model.predict(x, verbose=0), rtol=1e-6
    )
    back = lamina.models.model_from_json(k_model.to_json())
    assert back.name == k_model.name == "api"
    assert [type(layer).__name__ for layer in back.layers] == [
        type(layer).__name__ for layer in k_model.layers
    ]


def test_to_json_keeps_compile_config():
    model = _model()
    model.compile(optimizer=lamina.optimizers.SGD(0.3), loss="mae")
    clone = lamina.models.model_from_json(model.to_json())
    assert clone.compiled
    assert clone.optimizer.get_config()["learning_rate"] == pytest.approx(0.3)


@pytest.mark.parametrize(
    "text, words",
    [
        ("{", "malformed JSON"),
        ("[]", "expected a JSON object"),
        ('{"class_name": "Nope", "config": {}}', "Nope"),
    ],
)
def test_model_from_json_errors(text, words):
    with pytest.raises(ValueError, match=words):
        lamina.models.model_from_json(text)
    with pytest.raises(ValueError, match="JSON string"):
        lamina.models.model_from_json({"class_name": "Sequential"})


def test_model_from_json_refuses_lambdas(monkeypatch):
    from lamina import config as lamina_config

    monkeypatch.setitem(
        lamina_config._settings, "unsafe_deserialization", False
    )
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Lambda(lambda x: x + 1.0)]
    )
    with pytest.raises(ValueError, match="safe_mode=False"):
        lamina.models.model_from_json(model.to_json())


def test_bad_compile_config_is_reported(tmp_path):
    path = str(tmp_path / "m.keras")
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        items = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    config = json.loads(items["config.json"])
    config["compile_config"]["warp_speed"] = 9
    items["config.json"] = json.dumps(config).encode()
    bad = str(tmp_path / "bad.keras")
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    with pytest.raises(ValueError) as info:
        lamina.models.load_model(bad)
    assert "warp_speed" in str(info.value) and bad in str(info.value)
    assert "compile=False" in str(info.value)
    assert not lamina.models.load_model(bad, compile=False).compiled
