"""Dataset tests run against a temporary Keras home and never the network.

`keras_home` points lamina (through KERAS_HOME) at an empty temporary
folder and makes every download fail loudly. `keras_datasets` does the same
for Keras, the oracle: Keras read KERAS_HOME once at import, so its cached
value is patched, and its hash check is switched off because the tiny fake
files cannot match the real files' hashes (Keras would otherwise try to
download the real ones).
"""

import os
import urllib.error
import urllib.request

import pytest


def _no_network(*args, **kwargs):
    raise urllib.error.URLError("network disabled in tests")


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    home = tmp_path / "keras_home"
    home.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(urllib.request, "urlopen", _no_network)
    return home


@pytest.fixture
def datasets_dir(keras_home):
    folder = keras_home / "datasets"
    folder.mkdir()
    return folder


@pytest.fixture
def keras_datasets(keras_home, datasets_dir, monkeypatch):
    """Keras, reading the same temporary cache as lamina."""
    from tests.keras_oracle import keras
    from keras.src.backend import config as keras_config
    from keras.src.utils import file_utils

    monkeypatch.setattr(keras_config, "_KERAS_DIR", os.fspath(keras_home))
    monkeypatch.setattr(file_utils, "validate_file", lambda *a, **k: True)
    monkeypatch.setattr(file_utils, "urlretrieve", _no_network)
    return keras.datasets
