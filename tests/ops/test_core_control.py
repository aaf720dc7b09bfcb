import numpy as np
import pytest
import torch

import lamina.ops as lops
from lamina.utils import tree
from tests.ops.helpers import assert_same, kops, rand
from tests.ops.oracle_checks import check_symbolic


def _both(name, *args, **kwargs):
    theirs = getattr(kops, name)(*args, **kwargs)
    ours = getattr(lops, name)(*args, **kwargs)
    if isinstance(theirs, dict):
        assert sorted(ours) == sorted(theirs)
        ours, theirs = tree.flatten(ours), tree.flatten(theirs)
    assert_same(ours, theirs)
    return ours


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_map_and_scan_match_keras(dtype):
    x = torch.as_tensor(rand((4, 3), dtype))
    _both("map", lambda r: r * 2, x)
    _both("map", lambda d: d["a"] + d["b"], {"a": x, "b": x})
    _both("map", lambda t: (t[0], t[1] * 3), (x, x))
    init = torch.zeros(3, dtype=x.dtype)
    _both("scan", lambda c, r: (c + r, c * r), init, x)
    _both("scan", lambda c, r: (c + r, c), init, x, reverse=True)
    _both("scan", lambda c, r: ((c[0] + r, c[1]), None), (init, init), x)
    _both("scan", lambda c, r: (c + 1, c), 0, length=3)


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_associative_scan_matches_keras(reverse, n):
    x = torch.as_tensor(rand((3, n), "float32"))
    _both("associative_scan", lambda a, b: a + b, x, reverse=reverse, axis=1)
    _both("associative_scan", torch.maximum, x.T, reverse=reverse)
    pair = {"s": x, "p": x + 5}
    _both(
        "associative_scan",
        lambda a, b: {"s": a["s"] + b["s"], "p": a["p"] * b["p"]},
        pair,
        reverse=reverse,
        axis=-1,
    )


def test_associative_scan_keeps_integer_dtype():
    # Keras's torch backend returns float32 here (its interleave buffers
    # are float32); the op's result keeps the input dtype, as on JAX.
    out = lops.associative_scan(lambda a, b: a + b, torch.arange(5))
    assert out.dtype == torch.int64 and out.tolist() == [0, 1, 3, 6, 10]


def test_switch_and_vectorized_map_match_keras():
    branches = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b]
    x = torch.arange(3.0)
    for index in [-1, 0, 1, 2, 7, torch.tensor(1)]:
        _both("switch", index, branches, x, x)
    _both("vectorized_map", lambda r: torch.sum(r * r), x.reshape(3, 1))
    _both("vectorized_map", lambda t: t[0] * t[1], (x, x))


def test_control_flow_under_compile():
    def fn(x):
        _, ys = lops.scan(lambda c, r: (c + r, c + r), x[0] * 0, x)
        return lops.associative_scan(lambda a, b: a + b, ys) + lops.map(
            lambda r: r * 2, x
        )

    x = torch.randn(4, 3)
    torch.testing.assert_close(torch.compile(fn, backend="eager")(x), fn(x))


def test_symbolic_shapes_match_keras():
    check_symbolic("map", lambda x: (lambda r: r * 2, x))
    check_symbolic(
        "associative_scan", lambda x: (lambda a, b: a + b, x), axis=1
    )
    check_symbolic("switch", lambda x: (1, [lambda a: a, lambda a: a * 2], x))


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="`f` of ops.scan.*callable"):
        lops.scan(3, 0, length=2)
    with pytest.raises(ValueError, match="no `xs`.*no `length`"):
        lops.scan(lambda c, x: (c, x), 0)
    with pytest.raises(ValueError, match="`unroll` of ops.scan"):
        lops.scan(lambda c, x: (c, x), 0, length=2, unroll=0)
    with pytest.raises(ValueError, match="same size along `axis`"):
        lops.associative_scan(lambda a, b: a + b, [np.ones(3), np.ones(4)])
