"""Each rank's share of each batch.

`batch_size` stays what it is in Keras: the *global* batch. Every epoch,
every rank computes the same sequence of global batches (the same
permutation: drawn with the same call a single process makes, so a run
seeded with `lamina.utils.set_random_seed` draws what a single process
would, then broadcast from rank 0 so that the ranks agree even when they
were not seeded alike), and rank `r` takes the `r`-th of `world_size`
near-equal contiguous parts of each. The ranks' parts are disjoint and
together are the global batch, so averaging the ranks' gradients (see
`gradient_sync`) gives the single-process step on that batch.

A global batch smaller than the number of ranks cannot give every rank a
sample; it can only be the last one, and it is merged into the batch
before it (so one step of the epoch is a little larger, and no sample is
dropped; `evaluate` and `predict` are unaffected).
"""

from __future__ import annotations

from typing import Any

from typing import Iterator

import torch

from lamina.runtime import collectives


def part(total: int, world: int, rank: int) -> tuple[int, int]:
    """`(start, stop)` of rank `rank`'s part of `total` items: the first
    `total % world` ranks get one item more.

    Example:

    >>> from lamina.trainers.data_adapters.sharding import part
    >>> [part(5, 2, r) for r in range(2)]
    [(0, 3), (3, 5)]
    """
    base, extra = divmod(total, world)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def merge_small(sizes: list[int], world: int) -> list[int]:
    """Batch sizes with any batch smaller than `world` merged into its
    neighbour (the previous one; the next one for the first).

    Example:

    >>> from lamina.trainers.data_adapters.sharding import merge_small
    >>> merge_small([4, 4, 1], 2)
    [4, 5]
    """
    out: list[int] = []
    carry = 0
    for size in sizes:
        if size < world:
            if out:
                out[-1] += size
            else:
                carry += size
            continue
        out.append(size + carry)
        carry = 0
    if carry:
        out.append(carry)
    return out


def shared(tensor: torch.Tensor, what: str) -> torch.Tensor:
    """Rank 0's `tensor` (a random draw) on every rank."""
    return collectives.broadcast(tensor, what)


def check_batch_size(batch_size: int, world: int, where: str) -> None:
    if batch_size < world:
        raise ValueError(
            f"lamina.distribute: {where} has batch_size={batch_size}, "
            f"smaller than the number of processes ({world}), so some "
            "ranks would get no samples. `batch_size` is the global batch, "
            f"split across ranks: use batch_size >= {world} (a multiple "
            f"of {world} gives every rank the same share)."
        )


def check_same_data(values: list[int], names: list[str], where: str) -> None:
    """Raise on every rank when the ranks passed different data."""
    everyone = collectives.all_gather_ints(
        values, f"the check that every rank passed the same {where}"
    )
    if all(v == everyone[0] for v in everyone):
        return
    described = "; ".join(
        f"rank {r}: " + ", ".join(f"{n}={v}" for n, v in zip(names, vals))
        for r, vals in enumerate(everyone)
    )
    raise ValueError(
        f"lamina.distribute: the ranks passed different {where} "
        f"({described}). Pass the same full dataset and batch size on "
        "every rank: lamina splits it across the ranks itself."
    )


class ShardedArrayAdapter:
    """This rank's part of each global batch of an `ArrayDataAdapter`.

    Args:
        adapter: the single-process adapter (data already on the device).
        world: the number of ranks.
        rank: this rank.
        where: how error messages name the data (`"fit"`, ...).
    """

    def __init__(self, adapter: Any, world: int, rank: int, where: str) -> None:
        self.adapter = adapter
        self.world = world
        self.rank = rank
        n, bs = adapter.num_samples, adapter.batch_size
        check_batch_size(bs, world, where)
        if n < world:
            raise ValueError(
                f"lamina.distribute: the data passed to {where} has {n} "
                f"samples, fewer than the number of processes ({world}). "
                f"Pass at least {world} samples, or use fewer processes."
            )
        check_same_data([n, bs], ["samples", "batch_size"], f"data to {where}")
        sizes = [min(bs, n - s) for s in range(0, n, bs)]
        self._plain = sizes
        self._sizes = merge_small(sizes, world)

    @property
    def num_batches(self) -> int:
        return len(self._sizes)

    @property
    def batch_size(self) -> int:
        return self.adapter.batch_size

    def _epoch_plan(self):
        """(sample order or None, global batch sizes) for one epoch."""
        a = self.adapter
        n, bs = a.num_samples, a.batch_size
        if a.shuffle == "batch":
            # The single-process draw, shared; batches keep their samples.
            order = shared(
                torch.randperm(a.num_batches), "the shuffle of batch order"
            ).tolist()
            index = torch.cat(
                [torch.arange(b * bs, min(n, (b + 1) * bs)) for b in order]
            )
            sizes = merge_small([self._plain[b] for b in order], self.world)
            return index.to(_first_device(a)), sizes
        if a.shuffle:
            perm = torch.randperm(n, device=_first_device(a))
            return shared(perm, "the shuffle of the samples"), self._sizes
        return None, self._sizes

    def __iter__(self) -> Iterator[tuple]:
        index, sizes = self._epoch_plan()
        batch = self.adapter._batch
        start = 0
        for size in sizes:
            lo, hi = part(size, self.world, self.rank)
            if index is None:
                yield batch(slice(start + lo, start + hi))
            else:
                yield batch(index[start + lo : start + hi])
            start += size


def _first_device(adapter):
    from lamina.utils import tree

    for t in tree.flatten(adapter.x):
        if isinstance(t, torch.Tensor):
            return t.device
    return None


__all__ = [
    "ShardedArrayAdapter",
    "check_batch_size",
    "check_same_data",
    "merge_small",
    "part",
    "shared",
]
