"""Layers: one file per layer, grouped by family (`layers/<family>/`)."""

from lamina.engine.input_spec import InputSpec as InputSpec
from lamina.engine.layer import Layer as Layer
from lamina.layers.core.activation import Activation as Activation
from lamina.layers.core.dense import Dense as Dense
from lamina.layers.core.input_layer import Input as Input
from lamina.layers.core.input_layer import InputLayer as InputLayer
from lamina.layers.regularization.dropout import Dropout as Dropout
from lamina.layers.reshaping.flatten import Flatten as Flatten

__all__ = [
    "Activation",
    "Dense",
    "Dropout",
    "Flatten",
    "Input",
    "InputLayer",
    "InputSpec",
    "Layer",
]
