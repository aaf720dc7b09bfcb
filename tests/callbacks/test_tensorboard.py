"""TensorBoard: what it writes (through a recording SummaryWriter), and the
message when the optional `tensorboard` package is missing."""

import sys

import numpy as np
import pytest
import torch

import lamina
from lamina.callbacks import tensorboard as tensorboard_module
from tests.callbacks.fakes import FakeModel
from tests.callbacks.fakes import drive


class RecordingWriter:
    writers = []

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.records = []
        self.closed = False
        RecordingWriter.writers.append(self)

    def add_scalar(self, tag, value, step):
        self.records.append(("scalar", tag, float(value), step))

    def add_histogram(self, tag, values, step):
        self.records.append(("histogram", tag, np.shape(values), step))

    def flush(self):
        pass

    def close(self):
        self.closed = True


@pytest.fixture
def writer(monkeypatch):
    RecordingWriter.writers = []
    monkeypatch.setattr(
        tensorboard_module, "_summary_writer_class", lambda: RecordingWriter
    )
    return RecordingWriter


class TorchModel(FakeModel):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(2, 1)

    def named_parameters(self):
        return self.net.named_parameters()


def by_dir(writer):
    return {w.log_dir.rsplit("/", 1)[-1]: w for w in writer.writers}


def test_epoch_metrics_learning_rate_and_histograms(writer, tmp_path):
    callback = lamina.callbacks.TensorBoard(tmp_path, histogram_freq=2)
    logs = [{"loss": 0.5, "val_loss": 0.75}, {"loss": 0.25, "val_loss": 0.5}]
    drive(callback, TorchModel(), logs + logs[:1])
    writers = by_dir(writer)
    train, val = writers["train"], writers["validation"]
    assert ("scalar", "epoch_loss", 0.25, 1) in train.records
    assert ("scalar", "epoch_learning_rate", pytest.approx(0.1), 0) in (
        train.records
    )
    assert ("scalar", "epoch_loss", 0.5, 1) in val.records
    histograms = [r for r in train.records if r[0] == "histogram"]
    assert histograms == [
        ("histogram", "weight/histogram", (1, 2), 0),
        ("histogram", "bias/histogram", (1,), 0),
        ("histogram", "weight/histogram", (1, 2), 2),
        ("histogram", "bias/histogram", (1,), 2),
    ]
    assert train.closed and val.closed


def test_batch_metrics_every_update_freq_batches(writer, tmp_path):
    callback = lamina.callbacks.TensorBoard(tmp_path, update_freq=2)
    assert callback.needs_batch_logs
    drive(callback, FakeModel(), [{"loss": 1.0}] * 2, batches=3)
    train = by_dir(writer)["train"]
    steps = [r[3] for r in train.records if r[1] == "batch_loss"]
    assert steps == [2, 4, 6]


def test_evaluation_vs_iterations(writer, tmp_path):
    model = FakeModel()
    model.optimizer.iterations = 7
    callback = lamina.callbacks.TensorBoard(tmp_path)
    callback.set_model(model)
    callback.on_test_end({"loss": 0.5})
    assert by_dir(writer)["validation"].records == [
        ("scalar", "evaluation_loss_vs_iterations", 0.5, 7)
    ]


def test_missing_package_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    with pytest.raises(
        ImportError,
        match="needs the `tensorboard` package.*pip install tensorboard",
    ):
        lamina.callbacks.TensorBoard()


@pytest.mark.parametrize(
    "kwargs, arg",
    [
        (dict(profile_batch=2), "profile_batch"),
        (dict(embeddings_freq=1), "embeddings_freq"),
        (dict(write_images=True), "write_images"),
        (dict(update_freq="step"), "update_freq"),
        (dict(update_freq=0), "update_freq"),
    ],
)
def test_unsupported_arguments(writer, kwargs, arg):
    with pytest.raises(ValueError, match=f"`{arg}` of TensorBoard"):
        lamina.callbacks.TensorBoard(**kwargs)
