"""A one-process gloo group for the tests that need torch.distributed,
torn down (with the environment it set) after each test."""

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
def _restore_distribution():
    # As tests/distribute does: the active distribution is process-wide.
    saved = dict(data_parallel._STATE)
    yield
    data_parallel._STATE.clear()
    data_parallel._STATE.update(saved)
