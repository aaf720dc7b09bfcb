"""Run a lamina metric and its Keras 3 twin on the same batches."""

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy


def as_torch(x):
    return None if x is None else torch.as_tensor(np.asarray(x))


def update_both(ours, theirs, batches):
    """`batches`: tuples of positional arrays, the last one the sample
    weight (or None)."""
    for batch in batches:
        *args, sample_weight = batch
        kwargs = (
            {} if sample_weight is None else {"sample_weight": sample_weight}
        )
        theirs.update_state(*args, **kwargs)
        ours_kwargs = (
            {}
            if sample_weight is None
            else {"sample_weight": as_torch(sample_weight)}
        )
        ours.update_state(*[as_torch(a) for a in args], **ours_kwargs)


def assert_close(ours, theirs, rtol=1e-5, atol=1e-6):
    expected = to_numpy(theirs)
    got = to_numpy(ours)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


def check_against_keras(ours, theirs, batches, rtol=1e-5, atol=1e-6):
    """Same result after the batches, same (zero) state after a reset, and
    the same result again after the batches once more."""
    update_both(ours, theirs, batches)
    assert_close(ours.result(), theirs.result(), rtol, atol)
    assert len(ours.variables) == len(theirs.variables)
    for mine, other in zip(ours.variables, theirs.variables):
        assert mine.name == other.name
        assert tuple(mine.shape) == tuple(other.shape)
        assert_close(mine, other, rtol, atol)
    ours.reset_state()
    theirs.reset_state()
    for variable in ours.variables:
        assert not variable.detach().abs().sum().item()
    update_both(ours, theirs, batches[:1])
    assert_close(ours.result(), theirs.result(), rtol, atol)


def check_config(ours, theirs, keras_reads_it=True):
    """Same serialized form as Keras; both sides deserialize it."""
    mine = lamina.metrics.serialize(ours)
    other = keras.metrics.serialize(theirs)
    assert _plain(mine) == _plain(other)
    rebuilt = lamina.metrics.deserialize(other)
    assert type(rebuilt) is type(ours)
    assert _plain(rebuilt.get_config()) == _plain(ours.get_config())
    if keras_reads_it:
        keras.metrics.deserialize(mine)


def _plain(value):
    """Tensors and arrays as lists, tuples as lists, for comparison."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return np.asarray(to_numpy(value)).tolist()
    return value
