"""Oracle comparison for the `lamina.ops.image` tests."""

from lamina.ops import image as limage
from tests.ops.helpers import assert_same
from tests.ops.helpers import kops


def check_image(name, *args, rtol=None, atol=None, **kwargs):
    theirs = getattr(kops.image, name)(*args, **kwargs)
    ours = getattr(limage, name)(*args, **kwargs)
    assert_same(ours, theirs, rtol, atol)
    return ours
