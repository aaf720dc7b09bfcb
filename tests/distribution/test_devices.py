"""`list_devices`, `get_device_count` and `initialize` as one process."""

import pytest
import torch.distributed as dist

import lamina
from lamina.distribution import get_device_count
from lamina.distribution import initialize
from lamina.distribution import list_devices


def test_list_devices_one_process():
    assert list_devices("cpu") == ["cpu:0"]
    assert list_devices("gpu") == ["cuda:0"]  # Keras's "gpu" is CUDA
    assert get_device_count("cpu") == 1
    with pytest.raises(ValueError, match="Received: device_type='tpu'"):
        list_devices("tpu")


def test_initialize_starts_a_one_process_group(one_process_group):
    assert dist.is_initialized() and dist.get_world_size() == 1
    assert lamina.distribute.world_size() == 1
    initialize()  # a second call leaves the running group alone


def test_initialize_reads_keras_environment(monkeypatch):
    for name in (
        "MASTER_ADDR",
        "MASTER_PORT",
        "WORLD_SIZE",
        "RANK",
        "LOCAL_RANK",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KERAS_DISTRIBUTION_JOB_ADDRESSES", "no-port-here")
    with pytest.raises(ValueError, match="'host:port'"):
        initialize()
    monkeypatch.delenv("KERAS_DISTRIBUTION_JOB_ADDRESSES")
    with pytest.raises(RuntimeError, match="are not set"):
        initialize()
