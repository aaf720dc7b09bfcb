"""`BatchNormalization`: normalize with batch statistics, track moving ones."""

from __future__ import annotations

from typing import Any

import numbers

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import format_shape
from lamina.errors import invalid_argument
from lamina.layers.normalization import batch_renorm
from lamina.layers.normalization import normalization_utils as utils
from lamina.typing import ConstraintLike, InitializerLike, RegularizerLike


class BatchNormalization(Layer):
    """Layer that normalizes its inputs.

    In training (`fit`, or a call with `training=True`) each channel is
    normalized with the mean and variance of the current batch,
    `gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta`, and the
    moving statistics are updated:
    `moving = moving * momentum + batch_statistic * (1 - momentum)`, with
    the biased (population) batch variance, as Keras does. In inference
    (the default) the moving statistics replace the batch ones.

    Setting `layer.trainable = False` freezes the layer *and* runs it in
    inference mode, as in Keras.

    Both modes run on torch's fused batch-norm kernel; a `channels_last`
    input is handed to it as a free `(N * spatial, C)` reshape. A mask
    (training only) or `synchronized=True` under `torch.distributed` use
    the general path.

    Args:
        axis: the channel axis (the one *not* reduced), e.g. `1` after a
            `channels_first` convolution.
        momentum: momentum of the moving averages.
        epsilon: small float added to the variance.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned `gamma`.
        beta_initializer, gamma_initializer: initializers of the weights.
        moving_mean_initializer, moving_variance_initializer: initializers
            of the moving statistics.
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.
        renorm: whether to use batch renormalization (extra statistics
            `moving_stddev`, `renorm_mean`, `renorm_stddev`).
        renorm_clipping: dict with optional `"rmax"`, `"rmin"`, `"dmax"`
            clipping the renorm correction.
        renorm_momentum: momentum of the renorm statistics.
        synchronized: compute batch statistics over all processes of an
            initialized `torch.distributed` group (no effect otherwise).

    Call arguments:
        inputs: input tensor of any rank.
        training: whether to use (and update) batch statistics.
        mask: optional boolean tensor shaped like `inputs` without its last
            axis; masked entries are left out of the batch statistics.

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.BatchNormalization()
    >>> x = torch.tensor([[0.0, 10.0], [2.0, 30.0]])
    >>> y = layer(x, training=True)
    >>> [round(v, 3) for v in y[:, 0].tolist()]
    [-1.0, 1.0]
    >>> [round(v, 2) for v in layer.moving_mean.tolist()]
    [0.01, 0.2]
    >>> [w.shape for w in layer.get_weights()]
    [(2,), (2,), (2,), (2,)]
    """

    def __init__(
        self,
        axis: Any = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: Any = True,
        beta_initializer: InitializerLike = "zeros",
        gamma_initializer: InitializerLike = "ones",
        moving_mean_initializer: InitializerLike = "zeros",
        moving_variance_initializer: InitializerLike = "ones",
        beta_regularizer: RegularizerLike = None,
        gamma_regularizer: RegularizerLike = None,
        beta_constraint: ConstraintLike = None,
        gamma_constraint: ConstraintLike = None,
        renorm: bool = False,
        renorm_clipping: Any = None,
        renorm_momentum: float = 0.99,
        synchronized: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        name = type(self).__name__
        if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
            raise ValueError(invalid_argument(name, "axis", "an int", axis))
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(
            moving_variance_initializer
        )
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.renorm = bool(renorm)
        self.renorm_clipping = (
            batch_renorm.check_renorm_clipping(name, renorm_clipping)
            if self.renorm
            else renorm_clipping
        )
        self.renorm_momentum = float(renorm_momentum)
        self.synchronized = bool(synchronized)
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        (axis,) = utils.resolve_axes(self, self.axis, input_shape)
        utils.require_known(self, (axis,), input_shape)
        shape = (input_shape[axis],)
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self.moving_mean = self.add_weight(
            name="moving_mean",
            shape=shape,
            initializer=self.moving_mean_initializer,
            trainable=False,
        )
        self.moving_variance = self.add_weight(
            name="moving_variance",
            shape=shape,
            initializer=self.moving_variance_initializer,
            trainable=False,
        )
        if self.renorm:
            batch_renorm.add_renorm_weights(self, shape)
        self._channel_axis = axis
        self.input_spec = InputSpec(
            ndim=len(input_shape), axes={self.axis: shape[0]}
        )

    def call(
        self,
        inputs: torch.Tensor,
        training: bool | None = None,
        mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        if mask is not None and mask.ndim != inputs.ndim - 1:
            raise ValueError(
                f"Layer '{self.name}' (BatchNormalization) expects a mask "
                "with one dimension less than the inputs. Received: "
                f"mask.shape={format_shape(mask.shape)}, "
                f"inputs.shape={format_shape(inputs.shape)}"
            )
        x = utils.upcast(inputs)
        if training and self.trainable:
            out = self._train(x, mask)
        else:
            view, restore = utils.channels_first_view(x, self._channel_axis)
            out = restore(
                F.batch_norm(
                    view,
                    self.moving_mean.to(x.dtype),
                    self.moving_variance.to(x.dtype),
                    self._cast(self.gamma, x),
                    self._cast(self.beta, x),
                    False,
                    0.0,
                    self.epsilon,
                )
            )
        return out.to(self._compute_torch_dtype)

    def _train(self, x, mask):
        axis = self._channel_axis
        if mask is None and not self.synchronized and not self.renorm:
            view, restore = utils.channels_first_view(x, axis)
            # The fused kernel also returns the batch mean and 1/std, so
            # the moving averages need no second pass over the data.
            out, mean, invstd = torch.native_batch_norm(
                view,
                self._cast(self.gamma, x),
                self._cast(self.beta, x),
                None,
                None,
                True,
                0.0,
                self.epsilon,
            )
            with torch.no_grad():
                variance = (
                    invstd.square().reciprocal() - self.epsilon
                ).clamp_min(0.0)
            self._update_moving(mean, variance)
            return restore(out)
        reduce = tuple(a for a in range(x.ndim) if a != axis)
        mean, variance = utils.moments(x, reduce, mask, self.synchronized)
        if self.renorm:
            return batch_renorm.renorm_train(self, x, mean, variance, axis)
        self._update_moving(mean.detach(), variance.detach())
        return utils.normalize(
            x,
            mean,
            variance,
            self._cast(self.gamma, x),
            self._cast(self.beta, x),
            self.epsilon,
            axis,
        )

    def _update_moving(self, mean, variance) -> None:
        m = self.momentum
        with torch.no_grad():
            self.moving_mean.mul_(m).add_(mean, alpha=1.0 - m)
            self.moving_variance.mul_(m).add_(variance, alpha=1.0 - m)

    @staticmethod
    def _cast(weight, x):
        return None if weight is None else weight.to(x.dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(
                self.moving_mean_initializer
            ),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer
            ),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }

    def extra_repr(self) -> str:
        return (
            f"axis={self.axis}, momentum={self.momentum}, "
            f"epsilon={self.epsilon}"
        )
