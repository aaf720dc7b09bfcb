"""Batches that arrive one by one reach a CUDA device through pinned
memory without blocking the host; elsewhere they are moved as before.
The CUDA path is checked by injection (this suite runs without a GPU)."""

import numpy as np
import pytest
import torch

from lamina.trainers.data_adapters.iterable_adapters import GeneratorAdapter
from lamina.trainers.data_adapters.iterable_adapters import PyDatasetAdapter
from lamina.trainers.data_adapters.iterable_adapters import transfer
from lamina.utils.py_dataset import PyDataset


def _batches(n=2):
    rng = np.random.default_rng(0)
    return [
        (rng.random((2, 3), dtype=np.float32), np.arange(2, dtype="int64"))
        for _ in range(n)
    ]


@pytest.fixture
def fake_cuda(monkeypatch):
    """Record pinning and copies to a CUDA device; return the tensor."""
    calls = []
    real_to = torch.Tensor.to

    def pin_memory(self):
        calls.append("pin")
        return self

    def to(self, *args, **kwargs):
        target = args[0] if args else kwargs.get("device")
        if isinstance(target, torch.device) and target.type == "cuda":
            calls.append(("to", str(target), kwargs.get("non_blocking")))
            return self
        return real_to(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "pin_memory", pin_memory)
    monkeypatch.setattr(torch.Tensor, "to", to)
    return calls


def test_generator_batches_to_cuda_are_pinned_and_non_blocking(fake_cuda):
    batches = list(GeneratorAdapter(iter(_batches()), device="cuda:0"))
    assert len(batches) == 2
    # Two tensors per batch, each pinned then copied asynchronously.
    assert fake_cuda == ["pin", ("to", "cuda:0", True)] * 4


def test_py_dataset_batches_to_cuda_are_pinned(fake_cuda):
    class Data(PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return _batches(1)[0]

    list(PyDatasetAdapter(Data(), device=torch.device("cuda")))
    assert fake_cuda.count("pin") == 6
    assert all(c[2] is True for c in fake_cuda if c != "pin")


def test_cpu_batches_are_not_pinned(fake_cuda):
    data = _batches()
    got = list(GeneratorAdapter(iter(data), device="cpu"))
    assert fake_cuda == []
    for (x, y), (gx, gy) in zip(data, got):
        np.testing.assert_array_equal(gx.numpy(), x)
        np.testing.assert_array_equal(gy.numpy(), y)


def test_transfer_leaves_text_and_none_alone():
    text = np.array(["a", "b"])
    assert transfer(text, "cuda") is text
    assert transfer(None, "cuda") is None
    t = torch.ones(2)
    assert transfer(t, None) is t
