"""`lamina.ops.linalg` is Keras's `keras.ops.linalg`: the same names, each
the same function as `lamina.ops.<name>`, with Keras's signature."""

import inspect

import lamina.ops as lops
from lamina.ops import linalg
from tests.ops.helpers import kops


def _public(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


def test_linalg_namespace_has_exactly_keras_names():
    assert _public(linalg) == _public(kops.linalg)


def test_linalg_names_are_the_top_level_ops_with_keras_signatures():
    for name in _public(kops.linalg):
        assert getattr(linalg, name) is getattr(lops, name), name
        ours = inspect.signature(getattr(linalg, name))
        theirs = inspect.signature(getattr(kops.linalg, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        for p, q in zip(ours.parameters.values(), theirs.parameters.values()):
            assert (p.kind, p.default) == (q.kind, q.default), (name, p.name)
