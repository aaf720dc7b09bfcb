"""The hostile configs refused by `load_model` are refused, with no side
effect, by every other entry point that builds objects from data
(`model_from_json`, `Model.from_config`, `layers.deserialize`,
`deserialize_keras_object`, a legacy `.h5`'s `model_config`); and
hundreds of save/load cycles leak neither file handles nor memory
(issue 19, "Keep")."""

import codecs
import json
import marshal
import os
import warnings

import h5py
import pytest

import lamina


def _lambda_payload(marker):
    code = compile(
        f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]",
        "<payload>",
        "eval",
    ).co_consts[0]
    return codecs.encode(marshal.dumps(code), "base64").decode("ascii")


def _hostile_layers(marker):
    """Layer configs that would run code or import modules if obeyed."""
    return {
        "lambda bytecode": {
            "module": "keras.layers",
            "class_name": "Lambda",
            "config": {
                "name": "evil",
                "function": {
                    "class_name": "__lambda__",
                    "config": {
                        "code": _lambda_payload(marker),
                        "defaults": None,
                        "closure": None,
                    },
                },
            },
            "registered_name": None,
        },
        "os.system": {
            "module": "os",
            "class_name": "system",
            "config": {"command": f"touch {marker}"},
            "registered_name": None,
        },
        "builtins.eval": {
            "module": "builtins",
            "class_name": "eval",
            "config": {"source": f"open({str(marker)!r},'w')"},
            "registered_name": "builtins>eval",
        },
        "eval activation": {
            "module": "keras.layers",
            "class_name": "Dense",
            "config": {
                "units": 2,
                "activation": {
                    "module": "builtins",
                    "class_name": "function",
                    "config": "eval",
                    "registered_name": "function",
                },
            },
            "registered_name": None,
        },
    }


def _model_config(layer):
    base = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    config = lamina.saving.saving_api.model_config(base)
    config["config"]["layers"].insert(1, layer)
    return config


def _legacy_h5(tmp_path, config):
    path = str(tmp_path / "hostile.h5")
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode()
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = []
    return path


ENTRY_POINTS = {
    "model_from_json": lambda layer, tmp: lamina.models.model_from_json(
        json.dumps(_model_config(layer))
    ),
    "Sequential.from_config": lambda layer, tmp: lamina.Sequential.from_config(
        _model_config(layer)["config"]
    ),
    "layers.deserialize": lambda layer, tmp: lamina.layers.deserialize(layer),
    "deserialize_keras_object": lambda layer, tmp: (
        lamina.saving.deserialize_keras_object(layer)
    ),
    "legacy .h5": lambda layer, tmp: lamina.saving.load_model(
        _legacy_h5(tmp, _model_config(layer))
    ),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize(
    "hostile",
    ["lambda bytecode", "os.system", "builtins.eval", "eval activation"],
)
def test_hostile_config_is_refused_without_side_effect(
    tmp_path, entry, hostile
):
    marker = tmp_path / "marker"
    layer = _hostile_layers(marker)[hostile]
    cwd_before = sorted(os.listdir(tmp_path))
    with pytest.raises((ValueError, TypeError)):
        ENTRY_POINTS[entry](layer, tmp_path)
    assert not marker.exists()
    after = sorted(n for n in os.listdir(tmp_path) if n != "hostile.h5")
    assert after == [n for n in cwd_before if n != "hostile.h5"]


def _open_fds():
    return len(os.listdir("/proc/self/fd"))


def _rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def test_save_load_cycles_leak_no_handles_or_memory(tmp_path):
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    model.compile("adam", "mse")
    paths = [str(tmp_path / n) for n in ("m.keras", "m.weights.h5", "m.h5")]

    def cycle():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for path in paths:
                if path.endswith(".weights.h5"):
                    model.save_weights(path)
                    model.load_weights(path)
                else:
                    model.save(path)
                    lamina.saving.load_model(path)

    for _ in range(20):  # warm up caches and lazily imported modules
        cycle()
    fds, rss = _open_fds(), _rss_mb()
    for _ in range(100):  # 300 saves and 300 loads
        cycle()
    assert _open_fds() <= fds
    assert _rss_mb() - rss < 60
