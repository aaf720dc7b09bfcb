"""custom_gradient against Keras 3 on torch."""

import torch

import lamina.ops as lops
from tests.ops.helpers import assert_same, kops


def test_custom_gradient_grad_spellings():
    def make(grad_style):
        @lops.custom_gradient
        def f(x, scale):
            y = x * scale

            if grad_style == "jax":
                return y, lambda upstream: (upstream * 10.0, None)

            def grad(*args, upstream=None):
                assert len(args) == 2
                return upstream * 10.0, None

            return y, grad

        return f

    for style in ["jax", "torch"]:
        x = torch.ones(3, requires_grad=True)
        make(style)(x, 2.0).sum().backward()
        assert x.grad.tolist() == [10.0] * 3


def test_custom_gradient_matches_keras():
    def log1pexp(ops):
        @ops.custom_gradient
        def f(x):
            e = ops.exp(x)

            def grad(*args, upstream=None):
                return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

            return ops.log(1 + e), grad

        return f

    grads = []
    for ops in (kops, lops):
        x = torch.tensor([100.0, 1.0], requires_grad=True)
        y = log1pexp(ops)(x)
        y.sum().backward()
        grads.append((y.detach(), x.grad))
    assert_same(grads[1], grads[0])
