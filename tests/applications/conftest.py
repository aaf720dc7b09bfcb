"""Application tests never reach the network: `keras_home` points
lamina's cache (through KERAS_HOME) at an empty temporary folder and makes
every download fail loudly."""

import urllib.error
import urllib.request

import pytest

# Show the differing names and shapes when a parity check fails.
pytest.register_assert_rewrite("tests.applications.parity")


def _no_network(*args, **kwargs):
    raise urllib.error.URLError("network disabled in tests")


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    home = tmp_path / "keras_home"
    (home / "models").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(urllib.request, "urlopen", _no_network)
    return home
