import numpy as np
import pytest
import torch

import lamina
from lamina.layers.core.embedding import Embedding
from lamina.layers.merging.add import Add
from lamina.layers.merging.base_merge import broadcast_dims
from lamina.layers.merging.maximum import Maximum
from tests.keras_oracle import keras, to_numpy
from tests.layers.merging import helpers


def test_broadcast_dims():
    assert broadcast_dims((3, 4), (4,)) == (3, 4)
    assert broadcast_dims((1, 4), (3, 1)) == (3, 4)
    assert broadcast_dims((None, 4), (5, 4)) == (None, 4)
    assert broadcast_dims((3,), (4,)) is None


def test_unknown_sizes_merge_like_keras():
    shapes = [(None, 4), (5, 4)]
    k_shape, l_shape = helpers.symbolic_shapes("Add", Add, shapes)
    assert l_shape == k_shape == (None, None, 4)
    assert Add().compute_output_shape([(2, 3), (2, 1)]) == (2, 3)


def test_incompatible_shapes_symbolic():
    with pytest.raises(
        ValueError,
        match=r"'add.*' \(Add\) received inputs "
        r"with incompatible shapes \(3,\) "
        r"and \(4,\)",
    ):
        Add()([lamina.Input((3,)), lamina.Input((4,))])


def test_incompatible_shapes_eager():
    with pytest.raises(
        ValueError,
        match=r"\(Maximum\) received inputs with "
        r"incompatible shapes",
    ):
        Maximum()([torch.ones(2, 3), torch.ones(2, 4)])


def test_different_batch_sizes():
    with pytest.raises(
        ValueError,
        match=r"\(Add\) cannot merge tensors with "
        r"different batch sizes",
    ):
        Add()([torch.ones(2, 3), torch.ones(3, 3)])


@pytest.mark.parametrize("inputs", [torch.ones(2, 3), []])
def test_needs_a_list(inputs):
    with pytest.raises(
        ValueError,
        match=r"\(Add\) should be called on a "
        r"list of at least 1 input",
    ):
        Add()(inputs)


def test_compute_mask_is_keras_or():
    masks = [
        torch.tensor([[True, False, False]]),
        torch.tensor([[False, False, True]]),
    ]
    inputs = [torch.ones(1, 3, 2)] * 2
    ours = Add().compute_mask(inputs, masks)
    theirs = keras.layers.Add().compute_mask(inputs, masks)
    np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))
    assert Add().compute_mask(inputs, [masks[0], None]) is None
    with pytest.raises(ValueError, match=r"expected one mask per input"):
        Add().compute_mask(inputs, masks[:1])


def _model(api, embedding_cls):
    a = api.Input((4,), dtype="int32")
    b = api.Input((4,), dtype="int32")
    emb = embedding_cls(10, 3, mask_zero=True)
    out = (
        api.layers.Add()([emb(a), emb(b)])
        if api is keras
        else Add()([emb(a), emb(b)])
    )
    return api.Model([a, b], out), emb, out


def test_masks_flow_through_a_functional_model():
    k_model, k_emb, k_out = _model(keras, keras.layers.Embedding)
    l_model, l_emb, l_out = _model(lamina, Embedding)
    assert l_out._keras_mask.shape == tuple(k_out._keras_mask.shape)
    l_emb.set_weights(k_emb.get_weights())
    a = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    b = np.array([[4, 0, 0, 0], [5, 6, 7, 0]])
    k = k_model([torch.tensor(a), torch.tensor(b)])
    m = l_model([torch.tensor(a), torch.tensor(b)])
    np.testing.assert_allclose(to_numpy(m), to_numpy(k), atol=1e-6)
    np.testing.assert_array_equal(to_numpy(m._keras_mask), (a != 0) | (b != 0))
