"""Gradient clipping over lists of tensors, exactly as Keras clips.

Each function takes the list of gradients and returns a new list (the
caller's tensors are never modified), with one batched `torch._foreach_*`
call per operation rather than one call per gradient.
"""

from __future__ import annotations

import torch


def clip_by_norm(grads: list[torch.Tensor], clipnorm: float) -> list:
    """Rescale each gradient so that its own L2 norm is at most `clipnorm`.

    Keras's rule: `g * clipnorm / max(norm(g), clipnorm)`; a zero gradient
    stays zero.

    Example:

    >>> import torch
    >>> from lamina.optimizers.gradient_clipping import clip_by_norm
    >>> clip_by_norm([torch.tensor([3.0, 4.0])], 1.0)[0]
    tensor([0.6000, 0.8000])
    """
    norms = torch._foreach_norm(grads)
    torch._foreach_maximum_(norms, clipnorm)
    return torch._foreach_div(torch._foreach_mul(grads, clipnorm), norms)


def global_norm(grads: list[torch.Tensor]) -> torch.Tensor:
    """The L2 norm of all gradients taken together."""
    return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))


def clip_by_global_norm(grads: list[torch.Tensor], clipnorm: float) -> list:
    """Rescale all gradients together so that their global norm is at most
    `clipnorm`.

    As in Keras, a non-finite global norm makes every gradient NaN rather
    than silently skipping the clip.

    Example:

    >>> import torch
    >>> from lamina.optimizers.gradient_clipping import clip_by_global_norm
    >>> clip_by_global_norm([torch.tensor([3.0]), torch.tensor([4.0])], 1.0)
    [tensor([0.6000]), tensor([0.8000])]
    """
    norm = global_norm(grads)
    scale = clipnorm * torch.clamp(1.0 / norm, max=1.0 / clipnorm)
    # `norm - norm` is 0 for a finite norm and NaN otherwise.
    scale = scale + (norm - norm)
    return list(torch._foreach_mul(grads, scale))


def clip_by_value(grads: list[torch.Tensor], clipvalue: float) -> list:
    """Clip every gradient element into `[-clipvalue, clipvalue]`.

    Example:

    >>> import torch
    >>> from lamina.optimizers.gradient_clipping import clip_by_value
    >>> clip_by_value([torch.tensor([-2.0, 0.5, 3.0])], 1.0)[0]
    tensor([-1.0000,  0.5000,  1.0000])
    """
    low = torch._foreach_clamp_min(grads, -clipvalue)
    return list(torch._foreach_clamp_max(low, clipvalue))
