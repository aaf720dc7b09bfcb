"""Gradient all-reduce at the end of every backward pass.

`GradientSync` registers a post-accumulate-grad hook on each trainable
parameter. The first hook to fire in a backward pass queues a callback
that the autograd engine runs when the pass ends; that callback averages
the gradients across ranks in a few large messages (buckets of about
`bucket_bytes`, launched together), and stores the results back in
`param.grad`. So any `train_step` that calls `loss.backward()` then
`optimizer.apply(...)` (lamina's own or a user's) trains data-parallel,
while the model stays a plain lamina `Model`: no wrapper class, nothing
changes for `get_weights`, `save` or `summary`.

The average is weighted by each rank's number of samples in the step
(`local_weight`): with a loss that averages over its batch (Keras's default
`"sum_over_batch_size"`), `sum_r n_r * grad_r / sum_r n_r` is exactly the
gradient of the loss over the global batch, even when ranks hold unequal
shares of it. A parameter without a gradient on every rank keeps `None`;
one with a gradient on some ranks gets the average over all (the others
count as zero), so every rank applies the same update.
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.distributed as dist

from lamina.runtime import collectives
from lamina.runtime.environment import collective

BUCKET_BYTES = 25 * 2**20


class GradientSync:
    """All-reduce the gradients of `params` after each backward pass.

    Args:
        params: the trainable parameters, in the same order on every rank.
        bucket_bytes: target size of one all-reduce message.

    Call `remove()` to take the hooks off.
    """

    def __init__(
        self, params: Sequence[torch.Tensor], bucket_bytes: int = BUCKET_BYTES
    ) -> None:
        self.params = list(params)
        self.bucket_bytes = int(bucket_bytes)
        self.local_weight = 1.0
        self._queued = False
        self._bucket_list = self._buckets()
        self._handles = [
            p.register_post_accumulate_grad_hook(self._ready)
            for p in self.params
        ]

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def _ready(self, param: torch.Tensor) -> None:
        if not self._queued:
            self._queued = True
            torch.autograd.Variable._execution_engine.queue_callback(
                self._reduce
            )

    def _buckets(self) -> list[list[int]]:
        buckets, current, size, key = [], [], 0, None
        for i, p in enumerate(self.params):
            p_key = (p.dtype, p.device)
            nbytes = p.numel() * p.element_size()
            if current and (p_key != key or size + nbytes > self.bucket_bytes):
                buckets.append(current)
                current, size = [], 0
            current.append(i)
            size += nbytes
            key = p_key
        if current:
            buckets.append(current)
        return buckets

    @torch.no_grad()
    def _reduce(self) -> None:
        self._queued = False
        params = self.params
        grads = [p.grad for p in params]
        # Samples on this rank, then which parameters have a gradient.
        meta = torch.tensor(
            [float(self.local_weight)] + [float(g is not None) for g in grads],
            dtype=torch.float64,
        )
        meta = meta.to(collectives.comm_device())
        flats, works = [], []
        with collective("the gradient all-reduce of a training step"):
            works.append(dist.all_reduce(meta, async_op=True))
            for bucket in self._bucket_list:
                flat = self._flat_bucket(bucket, grads)
                flats.append((bucket, flat))
                works.append(dist.all_reduce(flat, async_op=True))
            for work in works:
                work.wait()
        meta = meta.cpu().tolist()
        total, present = meta[0], meta[1:]
        for bucket, flat in flats:
            flat.div_(total)
            self._write_back(bucket, flat, present)

    def _flat_bucket(self, bucket: list[int], grads: list) -> torch.Tensor:
        parts = []
        for i in bucket:
            g = grads[i]
            p = self.params[i]
            parts.append(
                torch.zeros(p.numel(), dtype=p.dtype, device=p.device)
                if g is None
                else g.reshape(-1)
            )
        flat = torch.cat(parts).to(collectives.comm_device())
        if self.local_weight != 1.0:
            flat.mul_(float(self.local_weight))
        return flat

    def _write_back(
        self, bucket: list[int], flat: torch.Tensor, present: list
    ) -> None:
        offset = 0
        for i in bucket:
            p = self.params[i]
            n = p.numel()
            if present[i]:
                # A view into the bucket: no copy; the next step's
                # `p.grad = None` releases it.
                p.grad = flat[offset : offset + n].view_as(p).to(p.device)
            offset += n


__all__ = ["BUCKET_BYTES", "GradientSync"]
