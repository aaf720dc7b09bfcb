"""`Discretization` against Keras 3: outputs in every mode, quantile
boundaries from `adapt`, configs, round trips and symbolic shapes."""

import numpy as np
import pytest
import torch

from lamina.layers import Discretization
from tests.keras_oracle import keras
from tests.layers.parity import (
    assert_close,
    check_round_trip,
    compare_configs,
    compare_symbolic,
)
from tests.layers.preprocessing.helpers import archive_both_ways

MODES = ["int", "one_hot", "multi_hot", "count"]
BOUNDS = [-1.0, 0.0, 0.5, 2.0]
_RNG = np.random.default_rng(0)
INPUTS = [
    np.array([[-1.5, 0.0, 0.5, 3.0]], "float32"),
    _RNG.standard_normal((5,)).astype("float32"),
    _RNG.standard_normal((3, 1)).astype("float32"),
    _RNG.standard_normal((2, 3, 4)).astype("float32"),
    np.array(0.7, "float32"),
    np.array([[1, 2], [0, -3]]),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("x", INPUTS, ids=range(len(INPUTS)))
def test_matches_keras(mode, x):
    ours = Discretization(bin_boundaries=BOUNDS, output_mode=mode)
    theirs = keras.layers.Discretization(
        bin_boundaries=BOUNDS, output_mode=mode
    )
    out, expected = ours(torch.from_numpy(x)), theirs(x)
    assert_close(out, expected)
    assert out.dtype == expected.dtype
    compare_configs(theirs, ours)
    check_round_trip(Discretization, keras.layers.Discretization, ours)
    if x.ndim and x.dtype == np.float32:
        compare_symbolic(
            lambda: keras.layers.Discretization(
                bin_boundaries=BOUNDS, output_mode=mode
            ),
            lambda: Discretization(bin_boundaries=BOUNDS, output_mode=mode),
            x.shape[1:],
        )


def _keras_adapt(layer, batches):
    # Keras's `adapt` needs TensorFlow; its numpy steps are the same.
    layer.reset_state()
    for batch in batches:
        layer.update_state(batch)
    layer.finalize_state()


DATA = [
    _RNG.standard_normal(1000),
    _RNG.standard_normal((37, 3)),
    _RNG.integers(0, 10, 200).astype("float64"),
    _RNG.exponential(size=(7,)),
]


@pytest.mark.parametrize(
    "num_bins,epsilon", [(4, 0.01), (7, 0.1), (3, 0.001), (10, 0.05)]
)
@pytest.mark.parametrize("data", DATA, ids=range(len(DATA)))
def test_adapt_matches_keras(num_bins, epsilon, data):
    ours = Discretization(num_bins=num_bins, epsilon=epsilon)
    ours.adapt(data)
    theirs = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    _keras_adapt(theirs, [data])
    assert ours.bin_boundaries == theirs.bin_boundaries
    x = _RNG.standard_normal((4, 6)).astype("float32")
    assert_close(ours(torch.from_numpy(x)), theirs(x))
    compare_configs(theirs, ours)
    check_round_trip(Discretization, keras.layers.Discretization, ours)


def test_adapt_on_batches_and_tensors():
    batches = [_RNG.standard_normal(50) for _ in range(5)]
    ours = Discretization(num_bins=5, epsilon=0.05)
    ours.adapt(iter(batches))
    theirs = keras.layers.Discretization(num_bins=5, epsilon=0.05)
    _keras_adapt(theirs, batches)
    assert ours.bin_boundaries == theirs.bin_boundaries
    again = Discretization(num_bins=5, epsilon=0.05)
    again.adapt(torch.from_numpy(batches[0]))
    theirs.reset_state()
    _keras_adapt(theirs, batches[:1])
    assert again.bin_boundaries == theirs.bin_boundaries


def test_archive_both_ways(tmp_path):
    x = _RNG.standard_normal((3, 4)).astype("float32")
    archive_both_ways(
        lambda lib: lib.layers.Discretization(
            bin_boundaries=BOUNDS, output_mode="count"
        ),
        (4,),
        x,
        tmp_path,
    )


def test_bad_arguments():
    with pytest.raises(ValueError, match="Discretization.*output_mode"):
        Discretization(bin_boundaries=BOUNDS, output_mode="binary")
    with pytest.raises(ValueError, match="Discretization.*num_bins"):
        Discretization(num_bins=-1)
    with pytest.raises(ValueError, match="Discretization.*either"):
        Discretization()
    with pytest.raises(ValueError, match="Discretization.*both"):
        Discretization(bin_boundaries=BOUNDS, num_bins=3)
    with pytest.raises(ValueError, match="Discretization.*sparse"):
        Discretization(bin_boundaries=BOUNDS, output_mode="count", sparse=True)
    with pytest.raises(ValueError, match="Discretization.*adapt"):
        Discretization(bin_boundaries=BOUNDS).adapt(np.zeros(3))
    with pytest.raises(ValueError, match="Discretization.*adapt"):
        Discretization(num_bins=3)(torch.zeros(2))
