"""Safe mode: a file is data. Code it carries (a Lambda's bytecode) and
classes or functions it names outside lamina's closed set are refused,
and nothing in the file runs, imports or changes a setting."""

import codecs
import json
import marshal
import zipfile

import numpy as np
import pytest

import lamina
from lamina import config as lamina_config
from tests.keras_oracle import keras


def _rewrite(src, dst, name, data):
    """Copy the archive `src` to `dst` with member `name` replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            body = data if info.filename == name else zin.read(info.filename)
            zout.writestr(info.filename, body)


def _config(path):
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("config.json"))


def _payload(marker):
    """Keras's encoding of a lambda that creates `marker` when run."""
    code = compile(
        f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]",
        "<payload>",
        "eval",
    ).co_consts[0]
    return codecs.encode(marshal.dumps(code), "base64").decode("ascii")


@pytest.fixture
def keras_lambda_archive(tmp_path):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Lambda(lambda x: x * 2.0)]
    )
    path = str(tmp_path / "benign.keras")
    model.save(path)
    return path


@pytest.fixture
def malicious_archive(tmp_path, keras_lambda_archive):
    marker = tmp_path / "marker"
    config = _config(keras_lambda_archive)
    layer = config["config"]["layers"][1]
    layer["config"]["function"]["config"]["code"] = _payload(marker)
    # A file cannot switch safe mode off, whatever it says.
    config["safe_mode"] = False
    config["config"]["safe_mode"] = False
    path = str(tmp_path / "evil.keras")
    _rewrite(keras_lambda_archive, path, "config.json", json.dumps(config))
    return path, marker


@pytest.fixture
def safe_global(monkeypatch):
    monkeypatch.setitem(
        lamina_config._settings, "unsafe_deserialization", False
    )


def test_lambda_bytecode_is_refused_by_default(malicious_archive, safe_global):
    path, marker = malicious_archive
    for load in (lamina.models.load_model, lamina.saving.load_model):
        with pytest.raises(ValueError) as info:
            load(path)
        message = str(info.value)
        assert "lambda" in message and path in message
        assert "safe_mode=False" in message
        assert "enable_unsafe_deserialization" in message
    assert not marker.exists()
    assert not lamina_config.unsafe_deserialization_enabled()


def test_payload_is_real_when_safe_mode_is_off(malicious_archive, safe_global):
    """The control: the same file does run its code once allowed, so the
    test above would see a marker if safe mode leaked."""
    path, marker = malicious_archive
    lamina.models.load_model(path, safe_mode=False)
    assert marker.exists()


def test_safe_mode_off_loads_a_keras_lambda(keras_lambda_archive, safe_global):
    model = lamina.models.load_model(keras_lambda_archive, safe_mode=False)
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), 2 * x)


def test_enable_unsafe_deserialization(keras_lambda_archive, safe_global):
    with pytest.raises(ValueError, match="lambda"):
        lamina.models.load_model(keras_lambda_archive)
    lamina.config.enable_unsafe_deserialization()
    model = lamina.models.load_model(keras_lambda_archive)
    assert model.layers[0].__class__.__name__ == "Lambda"


def _sequential_archive(tmp_path, name="base.keras"):
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    path = str(tmp_path / name)
    model.save(path)
    return path


_HOSTILE_LAYERS = {
    "os.system class": {
        "module": "os",
        "class_name": "system",
        "config": {"command": "touch {marker}"},
        "registered_name": None,
    },
    "builtins.eval class": {
        "module": "builtins",
        "class_name": "eval",
        "config": {"source": "open('{marker}','w')"},
        "registered_name": "builtins>eval",
    },
    "subprocess module": {
        "module": "subprocess",
        "class_name": "Popen",
        "config": {"args": ["touch", "{marker}"]},
        "registered_name": None,
    },
}


@pytest.mark.parametrize("hostile", sorted(_HOSTILE_LAYERS))
def test_classes_outside_lamina_are_refused(hostile, tmp_path, safe_global):
    base = _sequential_archive(tmp_path)
    marker = tmp_path / "marker"
    text = json.dumps(_HOSTILE_LAYERS[hostile]).replace("{marker}", str(marker))
    config = _config(base)
    config["config"]["layers"].insert(1, json.loads(text))
    path = str(tmp_path / "hostile.keras")
    _rewrite(base, path, "config.json", json.dumps(config))
    class_name = _HOSTILE_LAYERS[hostile]["class_name"]
    with pytest.raises(ValueError) as info:
        lamina.models.load_model(path, safe_mode=False)
    message = str(info.value)
    assert f"'{class_name}'" in message
    assert "custom_objects" in message
    assert "register_keras_serializable" in message
    assert not marker.exists()


@pytest.mark.parametrize(
    "function",
    [
        {
            "module": "builtins",
            "class_name": "function",
            "config": "eval",
            "registered_name": "function",
        },
        {
            "module": "os",
            "class_name": "function",
            "config": "system",
            "registered_name": "function",
        },
        {
            "module": "builtins",
            "class_name": "eval",
            "config": {},
            "registered_name": None,
        },
    ],
)
def test_functions_outside_lamina_are_refused(function, tmp_path, safe_global):
    base = _sequential_archive(tmp_path)
    config = _config(base)
    config["config"]["layers"][1]["config"]["activation"] = function
    path = str(tmp_path / "fn.keras")
    _rewrite(base, path, "config.json", json.dumps(config))
    name = (
        function["config"]
        if isinstance(function["config"], str)
        else function["class_name"]
    )
    with pytest.raises(ValueError, match=name):
        lamina.models.load_model(path, safe_mode=False)


def test_lambda_as_an_activation_is_refused(tmp_path, safe_global):
    base = _sequential_archive(tmp_path)
    marker = tmp_path / "marker"
    config = _config(base)
    config["config"]["layers"][1]["config"]["activation"] = {
        "class_name": "__lambda__",
        "config": {"value": [_payload(marker), None, None]},
    }
    path = str(tmp_path / "act.keras")
    _rewrite(base, path, "config.json", json.dumps(config))
    with pytest.raises(ValueError, match="safe_mode=False"):
        lamina.models.load_model(path)
    assert not marker.exists()


def test_loading_never_imports_a_named_module(tmp_path, safe_global):
    import sys

    base = _sequential_archive(tmp_path)
    config = _config(base)
    config["config"]["layers"][1]["module"] = "antigravity"
    config["config"]["layers"][1]["class_name"] = "Dense2"
    path = str(tmp_path / "imp.keras")
    _rewrite(base, path, "config.json", json.dumps(config))
    with pytest.raises(ValueError, match="Dense2"):
        lamina.models.load_model(path)
    assert "antigravity" not in sys.modules


class Doubler(lamina.layers.Layer):
    def call(self, x):
        return x * 2.0


def test_unregistered_class_needs_custom_objects(tmp_path, safe_global):
    model = lamina.Sequential([lamina.Input((3,)), Doubler(name="doubler")])
    path = str(tmp_path / "custom.keras")
    model.save(path)
    with pytest.raises(ValueError) as info:
        lamina.models.load_model(path)
    message = str(info.value)
    assert "'Doubler'" in message and "custom_objects" in message
    loaded = lamina.models.load_model(path, custom_objects={"Doubler": Doubler})
    x = np.ones((1, 3), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), 2 * x)


def test_keras_refuses_what_lamina_refuses(malicious_archive):
    """The oracle agrees that the file is unsafe by default."""
    path, marker = malicious_archive
    with pytest.raises(ValueError, match="lambda"):
        keras.saving.load_model(path)
    assert not marker.exists()


def test_registered_function_in_safe_mode(tmp_path, safe_global):
    @lamina.saving.register_keras_serializable(package="safe_test")
    def halve(x):
        return x * 0.5

    model = lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(2, activation=halve)]
    )
    path = str(tmp_path / "reg.keras")
    model.save(path)
    loaded = lamina.models.load_model(path)
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )
