"""The `@op` decorator: error translation, and symbolic calls recording
graph nodes whose shapes match Keras's symbolic shapes."""

import warnings

import numpy as np
import pytest

import lamina.ops as lops
from lamina.engine.symbolic import SymbolicTensor
from tests.ops.helpers import kops
from tests.keras_oracle import keras


def test_torch_errors_become_value_errors_naming_op_and_arguments():
    with pytest.raises(ValueError) as info:
        lops.matmul(np.ones((2, 3), "float32"), np.ones((4, 5), "float32"))
    message = str(info.value)
    assert message.startswith("`ops.matmul` could not be computed: ")
    assert "Received: x1=<ndarray shape=(2, 3), dtype=float32>" in message
    assert isinstance(info.value.__cause__, RuntimeError)


def test_dtype_errors_become_type_errors():
    with pytest.raises(
        TypeError,
        match=r"`ops.negative` could not be "
        r"computed: Negation.*bool",
    ):
        lops.negative(np.array([True]))


def test_signatures_are_kept_for_help():
    import inspect

    params = inspect.signature(lops.sum).parameters
    assert list(params) == ["x", "axis", "keepdims"]
    assert lops.sum.__name__ == "sum"
    assert lops.sum.__doc__.startswith("Sum of tensor elements")


def _pair(shape, dtype="float32"):
    return SymbolicTensor(shape, dtype), keras.KerasTensor(shape, dtype=dtype)


CASES = [
    ("add", lambda x: (x, 1.0), {}),
    ("mean", lambda x: (x,), dict(axis=1, keepdims=True)),
    ("argmax", lambda x: (x,), dict(axis=-1)),
    ("reshape", lambda x: (x, (-1, 12)), {}),
    ("transpose", lambda x: (x, (0, 2, 1)), {}),
    ("expand_dims", lambda x: (x, 1), {}),
    ("concatenate", lambda x: ([x, x],), dict(axis=-1)),
    ("split", lambda x: (x, 2), dict(axis=-1)),
    ("take", lambda x: (x, np.array([0, 1])), dict(axis=2)),
    ("pad", lambda x: (x, ((0, 0), (1, 1), (2, 2))), {}),
    ("softmax", lambda x: (x,), dict(axis=-1)),
    ("matmul", lambda x: (x, np.ones((4, 2), "float32")), {}),
    ("cumsum", lambda x: (x,), dict(axis=1)),
    ("norm", lambda x: (x,), dict(axis=-1)),
    ("logsumexp", lambda x: (x,), dict(axis=(1, 2))),
    ("sort", lambda x: (x,), {}),
]


@pytest.mark.parametrize("name,make_args,kwargs", CASES)
def test_symbolic_calls_match_keras_symbolic_shapes(name, make_args, kwargs):
    ours_in, theirs_in = _pair((None, 3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no eager fallback while tracing
        ours = getattr(lops, name)(*make_args(ours_in), **kwargs)
    theirs = getattr(kops, name)(*make_args(theirs_in), **kwargs)
    ours = ours if isinstance(ours, list) else [ours]
    theirs = theirs if isinstance(theirs, list) else [theirs]
    for a, b in zip(ours, theirs):
        assert isinstance(a, SymbolicTensor)
        assert a.shape == tuple(b.shape) and a.dtype == b.dtype


def _meta(shape, dtype=None):
    import torch

    return torch.empty(shape, device="meta", dtype=dtype)


DEVICE_CASES = [
    ("add", lambda x: (x, [1.0, 2.0, 3.0]), {}),
    ("subtract", lambda x: (2, x), {}),
    ("maximum", lambda x: (x, 0), {}),
    ("floor_divide", lambda x: (x, 2.0), {}),
    ("clip", lambda x: (x, 0.0, np.float32(1.0)), {}),
    ("where", lambda x: (x, x, 0.0), {}),
    ("take", lambda x: (x, [0, 1]), dict(axis=1)),
    ("take_along_axis", lambda x: (x, [[0], [1]]), dict(axis=1)),
    ("concatenate", lambda x: ([x, np.ones((2, 3), "float32")],), {}),
    ("stack", lambda x: ([x, [[1.0] * 3] * 2],), {}),
    ("matmul", lambda x: (x, np.ones((3, 2), "float32")), {}),
    ("einsum", lambda x: ("ij,jk->ik", x, np.ones((3, 2), "float32")), {}),
    ("pad", lambda x: (x, 1), dict(mode="symmetric")),
    ("repeat", lambda x: (x, [1, 0, 2]), dict(axis=1)),
    ("split", lambda x: (x, [1]), dict(axis=1)),
    ("full_like", lambda x: (x, 3.0), {}),
    ("scatter_update", lambda x: (x, [[0, 1]], [1.0]), dict(reduction="max")),
    ("slice_update", lambda x: (x, (0, 1), [[5.0]]), {}),
    ("max", lambda x: (x,), dict(axis=0, initial=1.0)),
    ("prod", lambda x: (x,), dict(axis=(0, 1), keepdims=True)),
    ("softmax", lambda x: (x,), dict(axis=(0, 1))),
    ("normalize", lambda x: (x,), dict(order=3)),
    ("moments", lambda x: (x, [0]), {}),
    ("logsumexp", lambda x: (x,), {}),
    ("top_k", lambda x: (x, 2), {}),
    ("segment_max", lambda x: (x, [0, 2]), dict(num_segments=3)),
    ("one_hot", lambda x: (x.long(), 4), dict(axis=0)),
    ("binary_crossentropy", lambda x: ([[0.0, 1.0, 1.0]] * 2, x), {}),
    ("sparse_categorical_crossentropy", lambda x: ([0, 2], x), {}),
    (
        "dot_product_attention",
        lambda x: (x[None, :, None],) * 3,
        dict(mask=np.ones((1, 1, 2, 2), bool)),
    ),
]


@pytest.mark.parametrize("name,make_args,kwargs", DEVICE_CASES)
def test_ops_run_on_the_device_of_their_tensor_inputs(name, make_args, kwargs):
    # The meta device stands in for an accelerator: constants, lists and
    # index tensors built by the op must land beside the input.
    import torch

    from lamina.utils import tree

    out = getattr(lops, name)(*make_args(_meta((2, 3))), **kwargs)
    tensors = [t for t in tree.flatten(out) if isinstance(t, torch.Tensor)]
    assert tensors and all(t.device.type == "meta" for t in tensors)
