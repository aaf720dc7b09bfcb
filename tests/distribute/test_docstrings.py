"""The `>>>` examples in lamina.distribute's docstrings run and hold."""

import doctest
import importlib

import pytest

from lamina.distribute import data_parallel

MODULES = ["chief", "data_parallel", "environment", "fsdp", "sharding"]


@pytest.fixture(autouse=True)
def _restore_distribution():
    saved = dict(data_parallel._STATE)
    yield
    data_parallel._STATE.clear()
    data_parallel._STATE.update(saved)


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(f"lamina.distribute.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
