"""`MelSpectrogram`, `STFTSpectrogram` and the `STFT` initializer against
Keras 3 (torch backend; Keras's windows need SciPy, a test dependency)."""

import pickle

import numpy as np
import pytest
import torch

import lamina
from lamina.layers import MelSpectrogram, STFTSpectrogram
from tests.keras_oracle import keras, to_numpy
from tests.layers.parity import (
    assert_close,
    check_round_trip,
    compare_configs,
    compare_symbolic,
)
from tests.layers.preprocessing.helpers import archive_both_ways

_RNG = np.random.default_rng(0)

MEL_CONFIGS = [
    {},
    {"fft_length": 256, "sequence_stride": 64, "num_mel_bins": 40},
    {
        "fft_length": 512,
        "sequence_stride": 100,
        "sequence_length": 300,
        "window": "hamming",
        "sampling_rate": 8000,
        "min_freq": 60.0,
        "max_freq": 3000.0,
    },
    {
        "fft_length": 128,
        "sequence_stride": 32,
        "window": None,
        "power_to_db": False,
        "mag_exp": 1.0,
        "num_mel_bins": 16,
    },
    {
        "fft_length": 256,
        "sequence_stride": 128,
        "top_db": 20.0,
        "ref_power": 2.0,
        "min_power": 1e-6,
        "num_mel_bins": 24,
    },
]


@pytest.mark.parametrize("kwargs", MEL_CONFIGS, ids=range(len(MEL_CONFIGS)))
@pytest.mark.parametrize("shape", [(3, 4000), (2500,)])
def test_mel_spectrogram_matches_keras(kwargs, shape):
    x = _RNG.standard_normal(shape).astype("float32")
    ours, theirs = (
        MelSpectrogram(**kwargs),
        keras.layers.MelSpectrogram(**kwargs),
    )
    assert_close(ours(torch.from_numpy(x)), theirs(x), rtol=2e-4, atol=2e-4)
    compare_configs(theirs, ours)
    check_round_trip(MelSpectrogram, keras.layers.MelSpectrogram, ours)


def test_mel_weight_matrix_matches_keras():
    args = (30, 257, 16000, 50.0, 7000.0)
    ours = MelSpectrogram().linear_to_mel_weight_matrix(*args)
    theirs = keras.layers.MelSpectrogram().linear_to_mel_weight_matrix(*args)
    assert_close(ours, theirs, rtol=1e-6, atol=1e-7)


STFT_CONFIGS = [
    {"mode": "log", "frame_length": 64, "frame_step": 32},
    {
        "mode": "magnitude",
        "frame_length": 50,
        "fft_length": 64,
        "window": "hamming",
        "padding": "same",
    },
    {
        "mode": "psd",
        "frame_length": 32,
        "frame_step": 8,
        "scaling": "spectrum",
        "periodic": True,
    },
    {"mode": "real", "frame_length": 40, "frame_step": 20, "window": None},
    {
        "mode": "imag",
        "frame_length": 40,
        "frame_step": 13,
        "window": "blackman",
        "padding": "same",
    },
    {"mode": "angle", "frame_length": 16, "scaling": None},
    {"mode": "stft", "frame_length": 32, "expand_dims": True},
    {"mode": "log", "frame_length": 32, "data_format": "channels_first"},
    {
        "mode": "stft",
        "frame_length": 24,
        "fft_length": 32,
        "data_format": "channels_first",
        "expand_dims": True,
        "window": "bartlett",
    },
]


@pytest.mark.parametrize("kwargs", STFT_CONFIGS, ids=range(len(STFT_CONFIGS)))
def test_stft_spectrogram_matches_keras(kwargs):
    channels_first = kwargs.get("data_format") == "channels_first"
    shape = (2, 3, 700) if channels_first else (2, 700, 3)
    x = _RNG.standard_normal(shape).astype("float32")
    ours, theirs = (
        STFTSpectrogram(**kwargs),
        keras.layers.STFTSpectrogram(**kwargs),
    )
    expected = theirs(x)
    assert_close(ours(torch.from_numpy(x)), expected, rtol=1e-4, atol=1e-5)
    assert len(ours.weights) == len(theirs.weights)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    compare_configs(theirs, ours)
    check_round_trip(STFTSpectrogram, keras.layers.STFTSpectrogram, ours)
    compare_symbolic(
        lambda: keras.layers.STFTSpectrogram(**kwargs),
        lambda: STFTSpectrogram(**kwargs),
        shape[1:],
    )


def test_stft_spectrogram_trains_and_keeps_keras_weights():
    layer = STFTSpectrogram(mode="magnitude", frame_length=16)
    layer.build((None, 100, 1))
    theirs = keras.layers.STFTSpectrogram(mode="magnitude", frame_length=16)
    theirs.build((None, 100, 1))
    weights = [w * 1.5 for w in theirs.get_weights()]
    theirs.set_weights(weights)
    layer.set_weights(weights)
    x = _RNG.standard_normal((2, 100, 1)).astype("float32")
    assert_close(layer(torch.from_numpy(x)), theirs(x), rtol=1e-5)
    assert all(w.requires_grad for w in layer.trainable_weights)


def test_stft_spectrogram_archive_both_ways(tmp_path):
    x = _RNG.standard_normal((2, 300, 2)).astype("float32")
    archive_both_ways(
        lambda lib: lib.layers.STFTSpectrogram(frame_length=32, frame_step=16),
        (300, 2),
        x,
        tmp_path,
    )


@pytest.mark.parametrize("side", ["real", "imag"])
@pytest.mark.parametrize(
    "window",
    [
        "hann",
        "hamming",
        "blackman",
        "bartlett",
        "boxcar",
        "cosine",
        None,
        "array",
    ],
)
@pytest.mark.parametrize("scaling", ["density", "spectrum", None])
@pytest.mark.parametrize("periodic", [False, True])
def test_stft_initializer_matches_keras(side, window, scaling, periodic):
    if window == "array":
        window = np.linspace(0.1, 1.0, 24)
    shape = (24, 1, 17)
    ours = lamina.initializers.STFT(side, window, scaling, periodic)(shape)
    theirs = keras.initializers.STFT(side, window, scaling, periodic)(shape)
    np.testing.assert_allclose(
        ours.numpy(), to_numpy(theirs), rtol=1e-6, atol=1e-7
    )
    config = lamina.initializers.serialize(
        lamina.initializers.STFT(side, "hann", scaling, periodic)
    )
    again = keras.initializers.deserialize(config)
    assert again.get_config() == {
        "side": side,
        "window": "hann",
        "periodic": periodic,
        "scaling": scaling,
    }


def test_stft_initializer_names():
    assert lamina.initializers.get("STFT").__class__ is lamina.initializers.STFT
    assert lamina.initializers.STFTInitializer is lamina.initializers.STFT


def test_bad_input():
    with pytest.raises(
        ValueError,
        match=r"`mode` of STFTSpectrogram.*"
        r"Received: mode='power'",
    ):
        STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match=r"`frame_step` of STFTSpectrogram"):
        STFTSpectrogram(frame_length=16, frame_step=32)
    with pytest.raises(ValueError, match=r"`fft_length` of STFTSpectrogram"):
        STFTSpectrogram(frame_length=64, fft_length=32)
    with pytest.raises(ValueError, match=r"`padding` of STFTSpectrogram"):
        STFTSpectrogram(padding="causal")
    with pytest.raises(ValueError, match=r"`scaling` of STFTSpectrogram"):
        STFTSpectrogram(scaling="l2")
    with pytest.raises(
        ValueError,
        match=r"`window` of STFT: expected a "
        r"scipy.signal window",
    ):
        STFTSpectrogram(window="nonsense")
    with pytest.raises(ValueError, match=r"`side` of STFT"):
        lamina.initializers.STFT(side="both")
    with pytest.raises(
        TypeError,
        match=r"expects float16, float32 or "
        r"float64 inputs.*int64",
    ):
        STFTSpectrogram(frame_length=8)(torch.ones(1, 20, 1, dtype=torch.int64))
    with pytest.raises(
        ValueError,
        match=r"`sequence_length` of "
        r"MelSpectrogram: expected at most fft_length=64",
    ):
        MelSpectrogram(fft_length=64, sequence_length=128)
    with pytest.raises(ValueError, match=r"`window` of MelSpectrogram"):
        MelSpectrogram(window="blackman")


class _Signals(torch.utils.data.Dataset):
    def __init__(self, mel, stft):
        self.mel, self.stft = mel, stft

    def __len__(self):
        return 2

    def __getitem__(self, i):
        x = torch.sin(torch.arange(800.0) * (i + 1) / 10)
        return self.mel(x), self.stft(x.reshape(1, 800, 1))[0]


def test_numpy_inputs_pickle_and_dataloader_workers():
    mel = MelSpectrogram(fft_length=128, sequence_stride=64, num_mel_bins=8)
    # As Keras's docstring suggests for preprocessing: trainable=False.
    stft = STFTSpectrogram(frame_length=32, trainable=False)
    x = _RNG.standard_normal((1, 800)).astype("float32")
    assert_close(
        mel(x),
        keras.layers.MelSpectrogram(
            fft_length=128, sequence_stride=64, num_mel_bins=8
        )(x),
        rtol=2e-4,
        atol=2e-4,
    )
    stft = pickle.loads(pickle.dumps(stft))
    loader = torch.utils.data.DataLoader(
        _Signals(mel, stft), batch_size=2, num_workers=1
    )
    ((mels, stfts),) = list(loader)
    signals = torch.stack(
        [torch.sin(torch.arange(800.0) * k / 10) for k in (1, 2)]
    )
    # One signal at a time: the dB floor follows each call's maximum.
    assert_close(
        mels,
        torch.stack([mel(s) for s in signals]).numpy(),
        rtol=1e-5,
        atol=1e-5,
    )
    assert_close(
        stfts, stft(signals.unsqueeze(-1)).numpy(), rtol=1e-5, atol=1e-5
    )
