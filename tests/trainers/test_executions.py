"""`executions`: the `(begin, end, batches)` of each execution are those
Keras's `EpochIterator` yields, for every batch count, execution size
and step limit (one epoch, as `evaluate` and `predict` run it)."""

import numpy as np
import pytest
from keras.src.trainers.epoch_iterator import EpochIterator

from lamina.trainers.executions import executions
from lamina.trainers.executions import padded_steps
from lamina.trainers.executions import steps_per_execution


def keras_epoch(batches, size, steps):
    iterator = EpochIterator(
        x=np.arange(batches, dtype="float32"),
        batch_size=1,
        steps_per_epoch=steps,
        shuffle=False,
        steps_per_execution=size,
    )

    def value(batch):  # `(x,)` or `x`, one sample
        x = batch[0] if isinstance(batch, tuple) else batch
        return float(np.ravel(x)[0])

    return [
        (begin, end, [value(b) for b in chunk])
        for begin, end, chunk in iterator
    ]


@pytest.mark.parametrize("size", [1, 2, 3, 5])
@pytest.mark.parametrize("steps", [None, 1, 2, 4, 7])
def test_executions_match_keras_epoch_iterator(size, steps):
    for batches in range(1, 12):
        ours = [
            (begin, end, [float(b) for b in chunk])
            for begin, end, chunk in executions(range(batches), size, steps)
        ]
        with np.testing.suppress_warnings() as sup:
            sup.filter(UserWarning)  # Keras: steps beyond the data
            assert ours == keras_epoch(batches, size, steps), batches


def test_start_continues_the_indexes():
    got = [(b, e, c) for b, e, c in executions(iter("abcde"), 2, start=4)]
    assert got == [(4, 5, ["a", "b"]), (6, 7, ["c", "d"]), (8, 9, ["e"])]


def test_padded_steps_rounds_up_to_whole_executions():
    assert [padded_steps(s, 3) for s in (1, 3, 4, 6, 7)] == [3, 3, 6, 6, 9]


class _Model:
    def __init__(self, value):
        self.steps_per_execution = value


@pytest.mark.parametrize(
    "value,expected",
    [(4, 4), (np.int64(3), 3), (0, 1), (-2, 1), (2.5, 1), (True, 1), ("3", 1)],
)
def test_steps_per_execution_reads_only_positive_integers(value, expected):
    assert steps_per_execution(_Model(value)) == expected
