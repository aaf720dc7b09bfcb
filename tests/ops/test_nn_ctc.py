import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import assert_same
from tests.ops.helpers import check
from tests.ops.helpers import kops


def _batch(seed=0, batch=3, steps=6, classes=5):
    gen = np.random.default_rng(seed)
    logits = gen.standard_normal((batch, steps, classes)).astype("float32")
    lengths = np.array([steps, steps - 2, 3][:batch], "int32")
    return logits, lengths


@pytest.mark.parametrize("mask_index", [0, 4])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_ctc_loss_matches_keras(mask_index, dtype):
    logits, lengths = _batch()
    labels = np.array([[1, 2, 2], [3, 1, 0], [2, 0, 0]], "int32")
    if mask_index == 4:
        labels = np.where(labels == 0, 1, labels)
    check(
        "ctc_loss",
        labels,
        logits.astype(dtype),
        np.array([3, 2, 1]),
        lengths,
        mask_index,
        atol=1e-4,
    )


def test_ctc_loss_gradient_matches_keras():
    logits, lengths = _batch()
    labels = np.array([[1, 2], [3, 1], [2, 0]], "int32")
    x = torch.tensor(logits, requires_grad=True)
    lops.sum(lops.ctc_loss(labels, x, [2, 2, 1], lengths)).backward()
    kx = torch.tensor(logits, requires_grad=True)
    kops.sum(kops.ctc_loss(labels, kx, [2, 2, 1], lengths)).backward()
    np.testing.assert_allclose(
        x.grad.numpy(), kx.grad.cpu().numpy(), rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("merge_repeated", [True, False])
@pytest.mark.parametrize("mask_index", [0, 2])
def test_greedy_decode_matches_keras(merge_repeated, mask_index):
    logits, lengths = _batch(steps=8)
    logits[0, 1:4, 3] = 9.0  # a run of the same label
    check(
        "ctc_decode",
        logits,
        lengths,
        "greedy",
        merge_repeated=merge_repeated,
        mask_index=mask_index,
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("mask_index", [0, 3])
@pytest.mark.parametrize("beam_width,top_paths", [(4, 1), (10, 3)])
def test_beam_search_decode_matches_keras(
    seed, mask_index, beam_width, top_paths
):
    logits, lengths = _batch(seed)
    ours = lops.ctc_decode(
        logits,
        lengths,
        "beam_search",
        beam_width,
        top_paths,
        mask_index=mask_index,
    )
    theirs = kops.ctc_decode(
        logits,
        lengths,
        "beam_search",
        beam_width,
        top_paths,
        mask_index=mask_index,
    )
    assert_same(ours[0], theirs[0])
    assert_same(ours[1], theirs[1], atol=1e-4)


def test_ctc_bad_arguments_raise():
    logits, lengths = _batch()
    with pytest.raises(ValueError, match=r"`strategy` of ops.ctc_decode"):
        lops.ctc_decode(logits, lengths, strategy="best")
    with pytest.raises(
        ValueError,
        match=r"ops.ctc_decode.*"
        r"shape=\(6, 5\)",
    ):
        lops.ctc_decode(logits[0], lengths)
    with pytest.raises(
        ValueError,
        match=r"`target` and `output` must have "
        r"the same first dimension",
    ):
        lops.ctc_loss(np.ones((2, 3), "int32"), logits, [1, 1], lengths)
