"""A one-process gloo group for the tests that need torch.distributed,
torn down (with the environment it set) after each test."""

import os
import socket

import pytest
import torch.distributed as dist

import lamina
from lamina.distribute import data_parallel

_ENV = ("MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "LOCAL_RANK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def one_process_group(monkeypatch):
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LAMINA_DEVICE", "cpu")
    lamina.distribution.initialize(f"127.0.0.1:{_free_port()}", 1, 0)
    yield
    if dist.is_initialized():
        dist.destroy_process_group()


@pytest.fixture(autouse=True)
def _restore_environment():
    # `initialize` sets torchrun's variables, as torchrun would; tests that
    # run after these (e.g. a script that names its output by RANK) must
    # not see them. monkeypatch.delenv of an unset name restores nothing.
    saved = {name: os.environ.get(name) for name in _ENV}
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _restore_distribution():
    # As tests/distribute does: the active distribution is process-wide.
    saved = dict(data_parallel._STATE)
    yield
    data_parallel._STATE.clear()
    data_parallel._STATE.update(saved)
