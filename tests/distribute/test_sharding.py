"""How a global batch is split across ranks (pure functions)."""

import pytest

from lamina.trainers.data_adapters.sharding import merge_small
from lamina.trainers.data_adapters.sharding import part


@pytest.mark.parametrize("total, world", [(32, 2), (31, 2), (7, 3), (5, 5)])
def test_parts_are_disjoint_contiguous_and_cover_the_batch(total, world):
    parts = [part(total, world, r) for r in range(world)]
    assert parts[0][0] == 0 and parts[-1][1] == total
    for (a, b), (c, d) in zip(parts, parts[1:]):
        assert b == c
    sizes = [b - a for a, b in parts]
    assert max(sizes) - min(sizes) <= 1 and min(sizes) >= 1
    assert sizes == sorted(sizes, reverse=True)  # Larger parts first.


@pytest.mark.parametrize(
    "sizes, world, merged",
    [
        ([32, 32, 32], 2, [32, 32, 32]),
        ([32, 32, 1], 2, [32, 33]),
        ([1, 32, 32], 2, [33, 32]),
        ([3], 4, [3]),
        ([4, 4, 2], 4, [4, 6]),
    ],
)
def test_batches_smaller_than_the_world_are_merged(sizes, world, merged):
    assert merge_small(sizes, world) == merged
    assert sum(merge_small(sizes, world)) == sum(sizes)
