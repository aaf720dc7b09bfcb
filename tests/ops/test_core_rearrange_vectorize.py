"""rearrange and vectorize against Keras 3 on torch."""

import numpy as np
import pytest
import torch

import lamina.ops as lops
from lamina.engine.symbolic import SymbolicTensor
from tests.ops.helpers import assert_same, check, kops, rand
from tests.ops.oracle_checks import check_symbolic

PATTERNS = [
    ("b h w c -> b (c h w)", {}),
    ("b h w c -> b c h w", {}),
    ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 3}),
    ("b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 3}),
    ("b h w c -> (b h) w c", {}),
    ("b (h h1) w c -> b h (h1 w) c", {"h": 2}),
]


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool", "float16"])
@pytest.mark.parametrize("pattern,lengths", PATTERNS)
def test_rearrange_matches_keras(pattern, lengths, dtype):
    check("rearrange", rand((2, 4, 6, 3), dtype), pattern, **lengths)


def test_rearrange_errors():
    x = np.ones((2, 4, 6))
    with pytest.raises(ValueError, match="`pattern` of ops.rearrange.*3"):
        lops.rearrange(x, "a b -> b a")
    with pytest.raises(ValueError, match="once on each side"):
        lops.rearrange(x, "a b c -> a b")
    with pytest.raises(ValueError, match="cannot infer"):
        lops.rearrange(x, "a (b1 b2) c -> a b1 b2 c")
    with pytest.raises(ValueError, match="does not split"):
        lops.rearrange(x, "a (b1 b2) c -> a b1 b2 c", b1=3)
    with pytest.raises(ValueError, match="unbalanced"):
        lops.rearrange(x, "a (b c -> a b c")
    with pytest.raises(ValueError, match="expected '<input> -> <output>'"):
        lops.rearrange(x, "a b c")


def test_rearrange_symbolic_and_gradient():
    check_symbolic(
        "rearrange", lambda x: (x, "b h w -> b (w h)"), shape=(2, 3, 4)
    )
    check_symbolic(
        "rearrange",
        lambda x: (x, "b (h1 h) w -> b h (h1 w)"),
        h1=3,
        shape=(2, 6, 4),
    )
    # Keras's symbolic rearrange fails on an unknown batch size; ours
    # keeps it unknown.
    sym = lops.rearrange(
        SymbolicTensor((None, 6, 4)), "b (h1 h) w -> b h (h1 w)", h1=3
    )
    assert sym.shape == (None, 2, 12)
    x = torch.randn(2, 3, 4, requires_grad=True)
    (lops.rearrange(x, "a b c -> c (a b)") * 2).sum().backward()
    torch.testing.assert_close(x.grad, torch.full((2, 3, 4), 2.0))


def _both(fn_factory, *args, **kwargs):
    theirs = kops.vectorize(fn_factory(kops), **kwargs)(*args)
    ours = lops.vectorize(fn_factory(lops), **kwargs)(*args)
    assert_same(ours, theirs)


def test_vectorize_matches_keras():
    a, b = rand((3, 4), "float32"), rand((4,), "float32")
    _both(lambda ops: lambda x, y: ops.multiply(x, y) + 1, a, b)
    _both(
        lambda ops: lambda x, y: ops.sum(x * y), a, b, signature="(n),(n)->()"
    )
    _both(
        lambda ops: lambda m, v: ops.matmul(m, v),
        rand((2, 3, 4), "float32"),
        rand((4,), "float32"),
        signature="(m,n),(n)->(m)",
    )
    _both(
        lambda ops: lambda x: (ops.sum(x), ops.max(x)),
        a,
        signature="(n)->(),()",
    )


def test_vectorize_excluded_arguments():
    f = lops.vectorize(
        lambda x, scale, offset=0.0: x * scale + offset, excluded={1, "offset"}
    )
    out = f(np.arange(3.0, dtype="float32"), 2.0, offset=1.0)
    assert out.tolist() == [1.0, 3.0, 5.0]


def test_vectorize_errors():
    with pytest.raises(ValueError, match="`signature` of ops.vectorize"):
        lops.vectorize(lambda x: x, signature="n->m")
    with pytest.raises(TypeError, match="expects 2 array arguments"):
        lops.vectorize(lambda x, y: x, signature="(),()->()")(np.ones(2))
    with pytest.raises(TypeError, match="`pyfunc` of ops.vectorize"):
        lops.vectorize(3)


def test_rearrange_and_vectorize_compile():
    f = lops.vectorize(lambda x, y: (x * y).sum(), signature="(n),(n)->()")

    def fn(x):
        return f(lops.rearrange(x, "a b -> b a"), x[:, 0])

    x = torch.randn(3, 3)
    torch.testing.assert_close(torch.compile(fn, backend="eager")(x), fn(x))
