import lamina
from lamina.layers import recurrent
from tests.keras_oracle import keras


def test_public_names_are_keras_names_and_exported():
    assert sorted(recurrent.__all__) == [
        "Bidirectional",
        "ConvLSTM1D",
        "ConvLSTM2D",
        "ConvLSTM3D",
        "GRU",
        "GRUCell",
        "LSTM",
        "LSTMCell",
        "RNN",
        "SimpleRNN",
        "SimpleRNNCell",
        "StackedRNNCells",
        "TimeDistributed",
    ]
    for name in recurrent.__all__:
        assert hasattr(keras.layers, name), name
        assert getattr(lamina.layers, name) is getattr(recurrent, name)
