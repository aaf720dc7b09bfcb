"""`lamina.ops.nn`: the names of `keras.ops.nn`, nothing else.

Each op lives in its family module (`nn_conv`, `nn_pool`, ...); this
namespace only re-exports them, so `dir()` matches Keras's.
"""

from lamina.ops.nn_pool import adaptive_average_pool as adaptive_average_pool
from lamina.ops.nn_pool import adaptive_max_pool as adaptive_max_pool
from lamina.ops.nn_pool import average_pool as average_pool
from lamina.ops.nn_norm import batch_normalization as batch_normalization
from lamina.ops.nn_losses import binary_crossentropy as binary_crossentropy
from lamina.ops.nn_losses import (
    categorical_crossentropy as categorical_crossentropy,
)
from lamina.ops.nn_activations_extra import celu as celu
from lamina.ops.nn_conv import conv as conv
from lamina.ops.nn_conv import conv_transpose as conv_transpose
from lamina.ops.nn_ctc import ctc_decode as ctc_decode
from lamina.ops.nn_ctc import ctc_loss as ctc_loss
from lamina.ops.nn_space import depth_to_space as depth_to_space
from lamina.ops.nn_conv import depthwise_conv as depthwise_conv
from lamina.ops.nn_attention import (
    dot_product_attention as dot_product_attention,
)
from lamina.ops.nn_activations import elu as elu
from lamina.ops.nn_space import fold as fold
from lamina.ops.nn_activations import gelu as gelu
from lamina.ops.nn_activations_extra import glu as glu
from lamina.ops.nn_activations_extra import hard_shrink as hard_shrink
from lamina.ops.nn_activations import hard_sigmoid as hard_sigmoid
from lamina.ops.nn_activations import hard_silu as hard_silu
from lamina.ops.nn_activations import hard_swish as hard_swish
from lamina.ops.nn_activations_extra import hard_tanh as hard_tanh
from lamina.ops.nn_norm import layer_normalization as layer_normalization
from lamina.ops.nn_activations import leaky_relu as leaky_relu
from lamina.ops.nn_activations import log_sigmoid as log_sigmoid
from lamina.ops.nn_activations import log_softmax as log_softmax
from lamina.ops.nn_pool import max_pool as max_pool
from lamina.ops.nn_stats import moments as moments
from lamina.ops.nn_encoding import multi_hot as multi_hot
from lamina.ops.nn_stats import normalize as normalize
from lamina.ops.nn_encoding import one_hot as one_hot
from lamina.ops.nn_misc import polar as polar
from lamina.ops.nn_misc import psnr as psnr
from lamina.ops.nn_activations import relu as relu
from lamina.ops.nn_activations import relu6 as relu6
from lamina.ops.nn_norm import rms_normalization as rms_normalization
from lamina.ops.nn_activations import selu as selu
from lamina.ops.nn_conv import separable_conv as separable_conv
from lamina.ops.nn_activations import sigmoid as sigmoid
from lamina.ops.nn_activations import silu as silu
from lamina.ops.nn_activations_extra import soft_shrink as soft_shrink
from lamina.ops.nn_activations import softmax as softmax
from lamina.ops.nn_activations import softplus as softplus
from lamina.ops.nn_activations import softsign as softsign
from lamina.ops.nn_space import space_to_depth as space_to_depth
from lamina.ops.nn_losses import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from lamina.ops.nn_activations_extra import sparse_plus as sparse_plus
from lamina.ops.nn_activations_extra import sparse_sigmoid as sparse_sigmoid
from lamina.ops.nn_activations_extra import sparsemax as sparsemax
from lamina.ops.nn_activations_extra import squareplus as squareplus
from lamina.ops.nn_activations import swish as swish
from lamina.ops.nn_activations_extra import tanh_shrink as tanh_shrink
from lamina.ops.nn_activations_extra import threshold as threshold
from lamina.ops.nn_space import unfold as unfold

__all__ = [
    "adaptive_average_pool",
    "adaptive_max_pool",
    "average_pool",
    "batch_normalization",
    "binary_crossentropy",
    "categorical_crossentropy",
    "celu",
    "conv",
    "conv_transpose",
    "ctc_decode",
    "ctc_loss",
    "depth_to_space",
    "depthwise_conv",
    "dot_product_attention",
    "elu",
    "fold",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "layer_normalization",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "max_pool",
    "moments",
    "multi_hot",
    "normalize",
    "one_hot",
    "polar",
    "psnr",
    "relu",
    "relu6",
    "rms_normalization",
    "selu",
    "separable_conv",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "space_to_depth",
    "sparse_categorical_crossentropy",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh_shrink",
    "threshold",
    "unfold",
]
