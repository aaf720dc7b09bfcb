"""Layers: one file per layer, grouped by family (`layers/<family>/`)."""

from lamina.engine.input_spec import InputSpec as InputSpec
from lamina.engine.layer import Layer as Layer
from lamina.layers.activations.elu import ELU as ELU
from lamina.layers.activations.leaky_relu import LeakyReLU as LeakyReLU
from lamina.layers.activations.prelu import PReLU as PReLU
from lamina.layers.activations.relu import ReLU as ReLU
from lamina.layers.activations.softmax import Softmax as Softmax
from lamina.layers.core.activation import Activation as Activation
from lamina.layers.core.dense import Dense as Dense
from lamina.layers.core.einsum_dense import EinsumDense as EinsumDense
from lamina.layers.core.embedding import Embedding as Embedding
from lamina.layers.core.reversible_embedding import (
    ReversibleEmbedding as ReversibleEmbedding,
)
from lamina.layers.core.identity import Identity as Identity
from lamina.layers.core.input_layer import Input as Input
from lamina.layers.core.input_layer import InputLayer as InputLayer
from lamina.layers.core.lambda_layer import Lambda as Lambda
from lamina.layers.core.masking import Masking as Masking
from lamina.layers.core.torch_module_wrapper import (
    TorchModuleWrapper as TorchModuleWrapper,
)
from lamina.layers.core.wrapper import Wrapper as Wrapper
from lamina.layers.merging.add import Add as Add
from lamina.layers.merging.average import Average as Average
from lamina.layers.merging.concatenate import Concatenate as Concatenate
from lamina.layers.merging.dot import Dot as Dot
from lamina.layers.merging.functional import add as add
from lamina.layers.merging.functional import average as average
from lamina.layers.merging.functional import concatenate as concatenate
from lamina.layers.merging.functional import dot as dot
from lamina.layers.merging.functional import maximum as maximum
from lamina.layers.merging.functional import minimum as minimum
from lamina.layers.merging.functional import multiply as multiply
from lamina.layers.merging.functional import subtract as subtract
from lamina.layers.merging.maximum import Maximum as Maximum
from lamina.layers.merging.minimum import Minimum as Minimum
from lamina.layers.merging.multiply import Multiply as Multiply
from lamina.layers.merging.subtract import Subtract as Subtract
from lamina.layers.regularization.activity_regularization import (
    ActivityRegularization as ActivityRegularization,
)
from lamina.layers.regularization.alpha_dropout import (
    AlphaDropout as AlphaDropout,
)
from lamina.layers.regularization.dropout import Dropout as Dropout
from lamina.layers.regularization.gaussian_dropout import (
    GaussianDropout as GaussianDropout,
)
from lamina.layers.regularization.gaussian_noise import (
    GaussianNoise as GaussianNoise,
)
from lamina.layers.regularization.spatial_dropout import (
    SpatialDropout1D as SpatialDropout1D,
)
from lamina.layers.regularization.spatial_dropout import (
    SpatialDropout2D as SpatialDropout2D,
)
from lamina.layers.regularization.spatial_dropout import (
    SpatialDropout3D as SpatialDropout3D,
)
from lamina.layers.reshaping.cropping1d import Cropping1D as Cropping1D
from lamina.layers.reshaping.cropping2d import Cropping2D as Cropping2D
from lamina.layers.reshaping.cropping3d import Cropping3D as Cropping3D
from lamina.layers.reshaping.flatten import Flatten as Flatten
from lamina.layers.reshaping.permute import Permute as Permute
from lamina.layers.reshaping.repeat_vector import RepeatVector as RepeatVector
from lamina.layers.reshaping.reshape import Reshape as Reshape
from lamina.layers.reshaping.up_sampling1d import UpSampling1D as UpSampling1D
from lamina.layers.reshaping.up_sampling2d import UpSampling2D as UpSampling2D
from lamina.layers.reshaping.up_sampling3d import UpSampling3D as UpSampling3D
from lamina.layers.reshaping.zero_padding1d import (
    ZeroPadding1D as ZeroPadding1D,
)
from lamina.layers.reshaping.zero_padding2d import (
    ZeroPadding2D as ZeroPadding2D,
)
from lamina.layers.reshaping.zero_padding3d import (
    ZeroPadding3D as ZeroPadding3D,
)
from lamina.layers.serialization import deserialize as deserialize
from lamina.layers.serialization import serialize as serialize

__all__ = [
    "Activation",
    "ActivityRegularization",
    "Add",
    "AlphaDropout",
    "Average",
    "Concatenate",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Dense",
    "Dot",
    "Dropout",
    "ELU",
    "EinsumDense",
    "Embedding",
    "ReversibleEmbedding",
    "Flatten",
    "GaussianDropout",
    "GaussianNoise",
    "Identity",
    "Input",
    "InputLayer",
    "InputSpec",
    "Lambda",
    "Layer",
    "LeakyReLU",
    "Masking",
    "Maximum",
    "Minimum",
    "Multiply",
    "PReLU",
    "Permute",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "Softmax",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "Subtract",
    "TorchModuleWrapper",
    "Wrapper",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "add",
    "average",
    "concatenate",
    "deserialize",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "serialize",
    "subtract",
]

# The later families list their own exports (one file per layer, each
# family's `__init__` names them); re-exported here so configs find them.
from lamina.layers import attention as _attention  # noqa: E402
from lamina.layers import convolutional as _convolutional  # noqa: E402
from lamina.layers import normalization as _normalization  # noqa: E402
from lamina.layers import pooling as _pooling  # noqa: E402
from lamina.layers import preprocessing as _preprocessing  # noqa: E402
from lamina.layers import recurrent as _recurrent  # noqa: E402

for _family in (
    _attention,
    _convolutional,
    _normalization,
    _pooling,
    _preprocessing,
    _recurrent,
):
    globals().update({n: getattr(_family, n) for n in _family.__all__})
    __all__ += _family.__all__
del _family

# Image augmentation layers (Keras's image_preprocessing family).
from lamina.layers.preprocessing import (  # noqa: E402
    image_preprocessing as _image_preprocessing,
)

globals().update(
    {n: getattr(_image_preprocessing, n) for n in _image_preprocessing.__all__}
)
__all__ += _image_preprocessing.__all__
