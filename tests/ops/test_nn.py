"""`lamina.ops.nn` is Keras's `keras.ops.nn`: the same names, each the
same function as `lamina.ops.<name>`, with Keras's signature."""

import inspect

import lamina.ops as lops
from lamina.ops import nn
from tests.ops.helpers import kops


def _public(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


def test_nn_namespace_has_exactly_keras_names():
    assert _public(nn) == _public(kops.nn)


def test_nn_names_are_the_top_level_ops_with_keras_signatures():
    for name in _public(kops.nn):
        assert getattr(nn, name) is getattr(lops, name), name
        ours = inspect.signature(getattr(nn, name))
        theirs = inspect.signature(getattr(kops.nn, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        for p, q in zip(ours.parameters.values(), theirs.parameters.values()):
            assert (p.kind, p.default) == (q.kind, q.default), (name, p.name)


def test_ops_trace_whole_under_torch_compile():
    # One compiled function over several families: no graph break
    # (fullgraph) and the eager numbers.
    import torch

    kernel = torch.randn(3, 3, 4, 6)

    def f(x):
        y = lops.conv(x, kernel, 2, "same")
        y = lops.max_pool(y, 2, 1, "same") + lops.average_pool(y, 2, 1, "same")
        y = lops.layer_normalization(y)
        y = lops.image.resize(y, (5, 3))
        return lops.stft(y.reshape(2, -1), 8, 4, 8)[0]

    x = torch.randn(2, 8, 8, 4)
    compiled = torch.compile(f, backend="aot_eager", fullgraph=True)
    torch.testing.assert_close(compiled(x), f(x))
