"""Symbolic-call comparison for `lamina.ops` against Keras's KerasTensor."""

import warnings

import pytest

import lamina.ops as lops
from lamina.engine.symbolic import SymbolicTensor
from tests.keras_oracle import keras


def check_symbolic(
    name, make_args, shape=(None, 3, 4), dtype="float32", strict=True, **kwargs
):
    """`lops.<name>` on a SymbolicTensor gives Keras's symbolic shapes and
    dtypes. `make_args(x)` builds the positional arguments from the input.
    With `strict`, shape tracing must not fall back to an eager run."""
    ours_in = SymbolicTensor(shape, dtype)
    theirs_in = keras.KerasTensor(shape, dtype=dtype)
    with warnings.catch_warnings():
        if strict:
            warnings.simplefilter("error")
        ours = getattr(lops, name)(*make_args(ours_in), **kwargs)
    theirs = getattr(keras.ops, name)(*make_args(theirs_in), **kwargs)
    ours = list(ours) if isinstance(ours, (list, tuple)) else [ours]
    theirs = list(theirs) if isinstance(theirs, (list, tuple)) else [theirs]
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert isinstance(a, SymbolicTensor), type(a)
        assert a.shape == tuple(b.shape), (a.shape, b.shape)
        assert a.dtype == b.dtype, (a.dtype, b.dtype)


def check_or_both_raise(name, *args, **kwargs):
    """Like `helpers.check`, but where Keras raises (a dtype torch has no
    kernel for), lamina must raise too, naming the op."""
    from tests.ops.helpers import check

    try:
        getattr(keras.ops, name)(*args, **kwargs)
    except Exception:  # noqa: BLE001 - any Keras failure
        with pytest.raises(Exception) as info:
            getattr(lops, name)(*args, **kwargs)
        assert isinstance(
            info.value, (TypeError, ValueError, NotImplementedError)
        )
        return None
    return check(name, *args, **kwargs)
