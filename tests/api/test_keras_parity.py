"""API parity as a tested fact: the Keras 3 names lamina claims exist in
Keras and are exported by lamina."""

import importlib

import pytest

import lamina
from tests.keras_oracle import keras

CLAIMED = {
    "layers": [
        "Input", "InputLayer", "InputSpec", "Layer", "Dense", "Activation",
        "Dropout", "Flatten", "Embedding", "EinsumDense", "Lambda",
        "Masking", "Identity", "Reshape", "Permute", "RepeatVector",
        "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D",
        "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D",
        "Cropping3D", "SpatialDropout1D", "SpatialDropout2D",
        "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
        "AlphaDropout", "ActivityRegularization", "Add", "Subtract",
        "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
        "add", "subtract", "multiply", "average", "maximum", "minimum",
        "concatenate", "dot", "ReLU", "LeakyReLU", "PReLU", "ELU",
        "Softmax",
    ],
    "models": ["Model", "Sequential"],
    "": ["Sequential", "Model", "Input", "Layer", "Variable",
         "DTypePolicy"],
    "activations": ["get", "serialize", "deserialize", "relu", "sigmoid",
                    "tanh", "softmax", "gelu", "silu", "elu", "selu",
                    "softplus", "softsign", "linear", "log_softmax"],
    "initializers": ["get", "serialize", "deserialize", "GlorotUniform",
                     "HeNormal", "Zeros", "Ones", "Constant", "Orthogonal",
                     "Identity", "VarianceScaling", "TruncatedNormal"],
    "regularizers": ["get", "L1", "L2", "L1L2", "OrthogonalRegularizer"],
    "constraints": ["get", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"],
    "utils": ["to_categorical", "set_random_seed", "Progbar", "PyDataset"],
}


@pytest.mark.parametrize("module", sorted(CLAIMED))
def test_claimed_names_exist_in_both(module):
    k_mod = importlib.import_module("keras." + module) if module else keras
    l_mod = importlib.import_module("lamina." + module) if module else lamina
    missing_in_keras = [n for n in CLAIMED[module] if not hasattr(k_mod, n)]
    missing_in_lamina = [n for n in CLAIMED[module]
                         if not hasattr(l_mod, n)]
    assert missing_in_keras == [], "claimed names Keras does not have"
    assert missing_in_lamina == []


def test_layers_all_is_exactly_what_is_exported():
    for name in lamina.layers.__all__:
        assert hasattr(lamina.layers, name), name
