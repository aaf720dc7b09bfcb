"""`lamina.ops.image` is Keras's `keras.ops.image`: the same names, with
Keras's signatures."""

import inspect

from lamina.ops import image
from tests.ops.helpers import kops


def _public(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


def test_image_namespace_has_exactly_keras_names():
    assert _public(image) == _public(kops.image)


def test_image_signatures_match_keras():
    for name in _public(kops.image):
        ours = inspect.signature(getattr(image, name))
        theirs = inspect.signature(getattr(kops.image, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        for p, q in zip(ours.parameters.values(), theirs.parameters.values()):
            assert (p.kind, p.default) == (q.kind, q.default), (name, p.name)
