"""The `>>>` examples in lamina.distribute's docstrings run and hold."""

import doctest
import importlib

import pytest

from lamina.distribute import data_parallel

MODULES = [
    "lamina.runtime.chief",
    "lamina.distribute.data_parallel",
    "lamina.runtime.environment",
    "lamina.distribute.fsdp",
    "lamina.trainers.data_adapters.sharding",
]


@pytest.fixture(autouse=True)
def _restore_distribution():
    saved = dict(data_parallel._STATE)
    yield
    data_parallel._STATE.clear()
    data_parallel._STATE.update(saved)


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
