"""`.keras` archives of recurrent models, both ways with Keras: the
weights sit under Keras's attribute paths (`lstm/cell`,
`bidirectional/forward_layer/cell`, `time_distributed/layer`,
`rnn/cell/cells/...`)."""

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras, to_numpy
from tests.layers.recurrent.helpers import random_input


def _model(lib):
    layers = lib.layers
    return lib.Sequential(
        [
            lib.Input((5, 3)),
            layers.LSTM(4, return_sequences=True),
            layers.Bidirectional(layers.GRU(2, return_sequences=True)),
            layers.TimeDistributed(layers.Dense(3)),
            layers.RNN(
                [layers.SimpleRNNCell(2), layers.LSTMCell(3)],
                return_sequences=True,
            ),
            layers.SimpleRNN(2, stateful=False),
        ]
    )


def test_keras_reads_lamina_archives(tmp_path):
    model = _model(lamina)
    path = str(tmp_path / "rnn.keras")
    model.save(path)
    theirs = keras.models.load_model(path)
    x = torch.from_numpy(random_input((2, 5, 3)))
    np.testing.assert_allclose(
        to_numpy(theirs(x)), to_numpy(model(x)), rtol=1e-5, atol=1e-6
    )


def test_lamina_reads_keras_archives(tmp_path):
    model = _model(keras)
    path = str(tmp_path / "rnn.keras")
    model.save(path)
    ours = lamina.models.load_model(path)
    x = torch.from_numpy(random_input((2, 5, 3), seed=1))
    np.testing.assert_allclose(
        to_numpy(ours(x)), to_numpy(model(x)), rtol=1e-5, atol=1e-6
    )
    assert isinstance(ours.layers[2], lamina.layers.TimeDistributed)
