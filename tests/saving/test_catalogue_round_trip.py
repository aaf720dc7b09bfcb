"""Every public layer class in a `.keras` archive, both ways with Keras 3:
a model written by lamina loads in Keras and predicts the same, and a
model written by Keras loads in lamina and predicts the same."""

import inspect

import numpy as np
import torch
import pytest

import lamina
from tests.keras_oracle import keras, to_numpy

SEQ = (5, 4)  # (steps, features)
IMG = (6, 6, 2)  # (rows, cols, channels)
VOL = (4, 4, 4, 2)


def _rnn(cell):
    return lambda lib: lib.layers.RNN(cell(lib))


SPECS = {
    "Activation": (lambda lib: lib.layers.Activation("tanh"), [(4,)]),
    "ActivityRegularization": (
        lambda lib: lib.layers.ActivityRegularization(l1=0.1),
        [(4,)],
    ),
    "AlphaDropout": (lambda lib: lib.layers.AlphaDropout(0.2), [(4,)]),
    "Dense": (lambda lib: lib.layers.Dense(3, activation="relu"), [(4,)]),
    "SpectralNormalization": (
        lambda lib: lib.layers.SpectralNormalization(
            lib.layers.Dense(3), power_iterations=2
        ),
        [(4,)],
    ),
    "Dropout": (lambda lib: lib.layers.Dropout(0.3), [(4,)]),
    "ELU": (lambda lib: lib.layers.ELU(0.5), [(4,)]),
    "EinsumDense": (
        lambda lib: lib.layers.EinsumDense(
            "abc,cd->abd", (5, 3), bias_axes="d"
        ),
        [SEQ],
    ),
    "Embedding": (lambda lib: lib.layers.Embedding(10, 3), [("int", 5)]),
    "ReversibleEmbedding": (
        lambda lib: lib.layers.ReversibleEmbedding(10, 3, tie_weights=False),
        [("int", 5)],
    ),
    "Flatten": (lambda lib: lib.layers.Flatten(), [IMG]),
    "GaussianDropout": (lambda lib: lib.layers.GaussianDropout(0.2), [(4,)]),
    "GaussianNoise": (lambda lib: lib.layers.GaussianNoise(0.2), [(4,)]),
    "Identity": (lambda lib: lib.layers.Identity(), [(4,)]),
    "LeakyReLU": (lambda lib: lib.layers.LeakyReLU(0.2), [(4,)]),
    "Masking": (lambda lib: lib.layers.Masking(0.0), [SEQ]),
    "PReLU": (lambda lib: lib.layers.PReLU(), [(4,)]),
    "Permute": (lambda lib: lib.layers.Permute((2, 1)), [SEQ]),
    "ReLU": (lambda lib: lib.layers.ReLU(max_value=1.0), [(4,)]),
    "RepeatVector": (lambda lib: lib.layers.RepeatVector(3), [(4,)]),
    "Reshape": (lambda lib: lib.layers.Reshape((2, 10)), [SEQ]),
    "Softmax": (lambda lib: lib.layers.Softmax(), [(4,)]),
    "SpatialDropout1D": (lambda lib: lib.layers.SpatialDropout1D(0.2), [SEQ]),
    "SpatialDropout2D": (lambda lib: lib.layers.SpatialDropout2D(0.2), [IMG]),
    "SpatialDropout3D": (lambda lib: lib.layers.SpatialDropout3D(0.2), [VOL]),
    "UpSampling1D": (lambda lib: lib.layers.UpSampling1D(2), [SEQ]),
    "UpSampling2D": (lambda lib: lib.layers.UpSampling2D(2), [IMG]),
    "UpSampling3D": (lambda lib: lib.layers.UpSampling3D(2), [VOL]),
    "ZeroPadding1D": (lambda lib: lib.layers.ZeroPadding1D(1), [SEQ]),
    "ZeroPadding2D": (lambda lib: lib.layers.ZeroPadding2D(1), [IMG]),
    "ZeroPadding3D": (lambda lib: lib.layers.ZeroPadding3D(1), [VOL]),
    "Cropping1D": (lambda lib: lib.layers.Cropping1D(1), [SEQ]),
    "Cropping2D": (lambda lib: lib.layers.Cropping2D(1), [IMG]),
    "Cropping3D": (lambda lib: lib.layers.Cropping3D(1), [VOL]),
    "Add": (lambda lib: lib.layers.Add(), [(4,), (4,)]),
    "Subtract": (lambda lib: lib.layers.Subtract(), [(4,), (4,)]),
    "Multiply": (lambda lib: lib.layers.Multiply(), [(4,), (4,)]),
    "Average": (lambda lib: lib.layers.Average(), [(4,), (4,)]),
    "Maximum": (lambda lib: lib.layers.Maximum(), [(4,), (4,)]),
    "Minimum": (lambda lib: lib.layers.Minimum(), [(4,), (4,)]),
    "Concatenate": (lambda lib: lib.layers.Concatenate(), [(4,), (3,)]),
    "Dot": (lambda lib: lib.layers.Dot(axes=1, normalize=True), [(4,), (4,)]),
    "Attention": (
        lambda lib: lib.layers.Attention(use_scale=True),
        [SEQ, (3, 4)],
    ),
    "AdditiveAttention": (
        lambda lib: lib.layers.AdditiveAttention(),
        [SEQ, (3, 4)],
    ),
    "MultiHeadAttention": (
        lambda lib: lib.layers.MultiHeadAttention(2, 3),
        [SEQ, (3, 4)],
    ),
    "GroupQueryAttention": (
        lambda lib: lib.layers.GroupQueryAttention(3, 4, 2),
        [SEQ, (3, 4)],
    ),
    "Conv1D": (lambda lib: lib.layers.Conv1D(3, 2, padding="same"), [SEQ]),
    "Conv2D": (lambda lib: lib.layers.Conv2D(3, 3, strides=2), [IMG]),
    "Conv3D": (lambda lib: lib.layers.Conv3D(2, 2), [VOL]),
    "Conv1DTranspose": (lambda lib: lib.layers.Conv1DTranspose(3, 2, 2), [SEQ]),
    "Conv2DTranspose": (lambda lib: lib.layers.Conv2DTranspose(3, 3), [IMG]),
    "Conv3DTranspose": (lambda lib: lib.layers.Conv3DTranspose(2, 2), [VOL]),
    "DepthwiseConv1D": (lambda lib: lib.layers.DepthwiseConv1D(2, 2), [SEQ]),
    "DepthwiseConv2D": (lambda lib: lib.layers.DepthwiseConv2D(3), [IMG]),
    "SeparableConv1D": (lambda lib: lib.layers.SeparableConv1D(3, 2), [SEQ]),
    "SeparableConv2D": (lambda lib: lib.layers.SeparableConv2D(3, 3), [IMG]),
    "BatchNormalization": (lambda lib: lib.layers.BatchNormalization(), [IMG]),
    "GroupNormalization": (lambda lib: lib.layers.GroupNormalization(2), [SEQ]),
    "LayerNormalization": (lambda lib: lib.layers.LayerNormalization(), [SEQ]),
    "UnitNormalization": (lambda lib: lib.layers.UnitNormalization(), [SEQ]),
    "RMSNormalization": (lambda lib: lib.layers.RMSNormalization(), [SEQ]),
    "AveragePooling1D": (lambda lib: lib.layers.AveragePooling1D(2), [SEQ]),
    "AveragePooling2D": (lambda lib: lib.layers.AveragePooling2D(2), [IMG]),
    "AveragePooling3D": (lambda lib: lib.layers.AveragePooling3D(2), [VOL]),
    "MaxPool1D": (lambda lib: lib.layers.MaxPooling1D(2), [SEQ]),
    "MaxPool2D": (lambda lib: lib.layers.MaxPooling2D(2), [IMG]),
    "MaxPool3D": (lambda lib: lib.layers.MaxPooling3D(2), [VOL]),
    "GlobalAveragePooling1D": (
        lambda lib: lib.layers.GlobalAveragePooling1D(),
        [SEQ],
    ),
    "GlobalAveragePooling2D": (
        lambda lib: lib.layers.GlobalAveragePooling2D(),
        [IMG],
    ),
    "GlobalAveragePooling3D": (
        lambda lib: lib.layers.GlobalAveragePooling3D(),
        [VOL],
    ),
    "GlobalMaxPool1D": (lambda lib: lib.layers.GlobalMaxPooling1D(), [SEQ]),
    "GlobalMaxPool2D": (lambda lib: lib.layers.GlobalMaxPooling2D(), [IMG]),
    "GlobalMaxPool3D": (lambda lib: lib.layers.GlobalMaxPooling3D(), [VOL]),
    "SimpleRNN": (lambda lib: lib.layers.SimpleRNN(3), [SEQ]),
    "LSTM": (lambda lib: lib.layers.LSTM(3, return_sequences=True), [SEQ]),
    "GRU": (lambda lib: lib.layers.GRU(3, reset_after=False), [SEQ]),
    "SimpleRNNCell": (_rnn(lambda lib: lib.layers.SimpleRNNCell(3)), [SEQ]),
    "LSTMCell": (_rnn(lambda lib: lib.layers.LSTMCell(3)), [SEQ]),
    "GRUCell": (_rnn(lambda lib: lib.layers.GRUCell(3)), [SEQ]),
    "RNN": (_rnn(lambda lib: lib.layers.GRUCell(2)), [SEQ]),
    "StackedRNNCells": (
        _rnn(
            lambda lib: lib.layers.StackedRNNCells(
                [lib.layers.LSTMCell(3), lib.layers.SimpleRNNCell(2)]
            )
        ),
        [SEQ],
    ),
    "Bidirectional": (
        lambda lib: lib.layers.Bidirectional(
            lib.layers.LSTM(3), merge_mode="sum"
        ),
        [SEQ],
    ),
    "TimeDistributed": (
        lambda lib: lib.layers.TimeDistributed(lib.layers.Dense(2)),
        [SEQ],
    ),
    "ConvLSTM1D": (lambda lib: lib.layers.ConvLSTM1D(2, 2), [(3, 5, 2)]),
    "ConvLSTM2D": (lambda lib: lib.layers.ConvLSTM2D(2, 2), [(3, 4, 4, 2)]),
    "ConvLSTM3D": (lambda lib: lib.layers.ConvLSTM3D(2, 2), [(2, 3, 3, 3, 2)]),
    "Rescaling": (lambda lib: lib.layers.Rescaling(0.5, offset=1.0), [(4,)]),
    "Normalization": (
        lambda lib: lib.layers.Normalization(
            mean=[0.5, -1.0], variance=[2.0, 0.5]
        ),
        [IMG],
    ),
    "Resizing": (lambda lib: lib.layers.Resizing(4, 3), [IMG]),
    "CenterCrop": (lambda lib: lib.layers.CenterCrop(4, 3), [IMG]),
    "CategoryEncoding": (
        lambda lib: lib.layers.CategoryEncoding(10, output_mode="count"),
        [("int", 5)],
    ),
    "Discretization": (
        lambda lib: lib.layers.Discretization(
            bin_boundaries=[-0.5, 0.0, 1.0], output_mode="one_hot"
        ),
        [(4,)],
    ),
    "MelSpectrogram": (
        lambda lib: lib.layers.MelSpectrogram(
            fft_length=64, sequence_stride=32, num_mel_bins=8
        ),
        [(256,)],
    ),
    "STFTSpectrogram": (
        lambda lib: lib.layers.STFTSpectrogram(frame_length=16, frame_step=8),
        [(64, 2)],
    ),
    "AdaptiveAveragePooling1D": (
        lambda lib: lib.layers.AdaptiveAveragePooling1D(3),
        [SEQ],
    ),
    "AdaptiveAveragePooling2D": (
        lambda lib: lib.layers.AdaptiveAveragePooling2D((4, 3)),
        [IMG],
    ),
    "AdaptiveAveragePooling3D": (
        lambda lib: lib.layers.AdaptiveAveragePooling3D(3),
        [VOL],
    ),
    "AdaptiveMaxPooling1D": (
        lambda lib: lib.layers.AdaptiveMaxPooling1D(3),
        [SEQ],
    ),
    "AdaptiveMaxPooling2D": (
        lambda lib: lib.layers.AdaptiveMaxPooling2D((4, 5)),
        [IMG],
    ),
    "AdaptiveMaxPooling3D": (
        lambda lib: lib.layers.AdaptiveMaxPooling3D(3),
        [VOL],
    ),
}
# Image augmentation (random ones are the identity in `predict`).
RGB = (6, 6, 3)
SPECS.update(
    {
        "RandomFlip": (lambda lib: lib.layers.RandomFlip("horizontal"), [RGB]),
        "RandomRotation": (lambda lib: lib.layers.RandomRotation(0.2), [RGB]),
        "RandomZoom": (lambda lib: lib.layers.RandomZoom(0.2, 0.1), [RGB]),
        "RandomTranslation": (
            lambda lib: lib.layers.RandomTranslation(0.1, 0.2),
            [RGB],
        ),
        "RandomCrop": (lambda lib: lib.layers.RandomCrop(6, 6), [RGB]),
        "RandomContrast": (lambda lib: lib.layers.RandomContrast(0.3), [RGB]),
        "RandomBrightness": (
            lambda lib: lib.layers.RandomBrightness(0.3),
            [RGB],
        ),
        # (A pair: Keras 3.15 cannot load the (-f, f) a number is stored as.)
        "RandomShear": (
            lambda lib: lib.layers.RandomShear((0.1, 0.2), (0, 0.1)),
            [RGB],
        ),
        "RandomPerspective": (
            lambda lib: lib.layers.RandomPerspective(),
            [RGB],
        ),
        "RandomElasticTransform": (
            lambda lib: lib.layers.RandomElasticTransform(),
            [RGB],
        ),
        "RandomErasing": (lambda lib: lib.layers.RandomErasing(), [RGB]),
        "RandomGaussianBlur": (
            lambda lib: lib.layers.RandomGaussianBlur(),
            [RGB],
        ),
        "RandomGrayscale": (lambda lib: lib.layers.RandomGrayscale(), [RGB]),
        "RandomHue": (lambda lib: lib.layers.RandomHue(0.2), [RGB]),
        "RandomSaturation": (
            lambda lib: lib.layers.RandomSaturation(0.2),
            [RGB],
        ),
        "RandomColorJitter": (
            lambda lib: lib.layers.RandomColorJitter(
                brightness_factor=0.2, hue_factor=0.1
            ),
            [RGB],
        ),
        "RandomColorDegeneration": (
            lambda lib: lib.layers.RandomColorDegeneration(0.3),
            [RGB],
        ),
        "RandomSharpness": (lambda lib: lib.layers.RandomSharpness(0.3), [RGB]),
        "RandomPosterization": (
            lambda lib: lib.layers.RandomPosterization(4),
            [RGB],
        ),
        "RandomInvert": (lambda lib: lib.layers.RandomInvert(), [RGB]),
        "Solarization": (lambda lib: lib.layers.Solarization(0.2, 0.3), [RGB]),
        "AutoContrast": (lambda lib: lib.layers.AutoContrast(), [RGB]),
        "ContrastLimitedAdaptiveHistogramEqualization": (
            lambda lib: lib.layers.ContrastLimitedAdaptiveHistogramEqualization(
                tile_grid_size=(2, 2)
            ),
            [RGB],
        ),
        "RandAugment": (lambda lib: lib.layers.RandAugment(), [RGB]),
        "AugMix": (lambda lib: lib.layers.AugMix(), [RGB]),
        "CutMix": (lambda lib: lib.layers.CutMix(), [RGB]),
        "MixUp": (lambda lib: lib.layers.MixUp(), [RGB]),
        "MaxNumBoundingBoxes": (
            lambda lib: lib.layers.MaxNumBoundingBoxes(3),
            [RGB],
        ),
        "Pipeline": (
            lambda lib: lib.layers.Pipeline(
                [lib.layers.RandomFlip(), lib.layers.AutoContrast()]
            ),
            [RGB],
        ),
    }
)
# Not layers one places in a model this way, or covered elsewhere
# (`Lambda`: safe-mode tests; `InputLayer`: every model has one).
EXCLUDED = {
    "InputLayer",
    "InputSpec",
    "Layer",
    "Lambda",
    # An abstract base (its subclasses have cases).
    "Wrapper",
    # Its config is a pickled torch module: refused in safe mode
    # (tests/layers/core/test_torch_module_wrapper.py).
    "TorchModuleWrapper",
    # Keras runs these only with TensorFlow installed; their files
    # are checked in tests/layers/preprocessing/test_lookup_files.py.
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "StringLookup",
    "TextVectorization",
    # Keras 3.15 cannot call it on a symbolic input (its
    # compute_output_spec returns the input itself: a graph cycle);
    # tests/layers/preprocessing/image_preprocessing/test_color.py.
    "Equalization",
}


def test_every_public_layer_class_has_a_case():
    classes = {
        n
        for n in lamina.layers.__all__
        if inspect.isclass(getattr(lamina.layers, n))
    }
    canonical = {getattr(lamina.layers, n).__name__ for n in classes}
    covered = {type(SPECS[n][0](lamina)).__name__ for n in SPECS} | {
        n for n in SPECS
    }
    cells = {"SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells"}
    assert canonical - covered - EXCLUDED - cells == set()


def _model(lib, name):
    make, shapes = SPECS[name]
    inputs = [
        lib.Input(s[1:], dtype="int32") if s[0] == "int" else lib.Input(s)
        for s in shapes
    ]
    layer = make(lib)
    if name in ("MultiHeadAttention", "GroupQueryAttention"):
        out = layer(inputs[0], inputs[1])
    else:
        out = layer(inputs if len(inputs) > 1 else inputs[0])
    return lib.Model(inputs if len(inputs) > 1 else inputs[0], out)


def _data(name, rng):
    data = []
    for s in SPECS[name][1]:
        if s[0] == "int":
            data.append(rng.integers(0, 10, size=(2, *s[1:])))
        else:
            data.append(rng.normal(size=(2, *s)).astype("float32"))
    return data if len(data) > 1 else data[0]


def _flat(out):
    out = out if isinstance(out, (list, tuple)) else [out]
    return [np.asarray(to_numpy(o)) for o in out]


def _same(a, b):
    for x, y in zip(_flat(a), _flat(b), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_archive_both_ways_with_keras(name, tmp_path, rng):
    x = _data(name, rng)
    k_model, l_model = _model(keras, name), _model(lamina, name)
    l_model.set_weights(k_model.get_weights())
    l_model.save(str(tmp_path / "lamina.keras"))
    k_model.save(str(tmp_path / "keras.keras"))
    in_keras = keras.saving.load_model(str(tmp_path / "lamina.keras"))
    in_lamina = lamina.saving.load_model(str(tmp_path / "keras.keras"))
    expected = k_model.predict(x, verbose=0)
    _same(l_model.predict(x, verbose=0), expected)
    _same(in_keras.predict(x, verbose=0), expected)
    _same(in_lamina.predict(x, verbose=0), expected)
    again = lamina.saving.load_model(str(tmp_path / "lamina.keras"))
    _same(again.predict(x, verbose=0), expected)


def _weight_ids(model):
    return [(tuple(w.shape), w.name, w.path) for w in model.weights]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_weights_have_keras_shapes_names_and_paths(name, rng):
    # Fresh name counters on both sides, so auto names ("dense", "lstm_1")
    # and the paths built from them must agree exactly.
    keras.utils.clear_session()
    lamina.utils.clear_session()
    k_model, l_model = _model(keras, name), _model(lamina, name)
    assert _weight_ids(l_model) == _weight_ids(k_model)
    assert [w.path for w in l_model.trainable_weights] == [
        w.path for w in k_model.trainable_weights
    ]
    assert [w.path for w in l_model.non_trainable_weights] == [
        w.path for w in k_model.non_trainable_weights
    ]
    # Keras's integration test numerical_test.py: what `w.numpy()` gives,
    # fed to Keras's set_weights, reproduces the model.
    x = _data(name, rng)
    k_model.set_weights([w.numpy() for w in l_model.weights])
    _same(l_model.predict(x, verbose=0), k_model.predict(x, verbose=0))


# Integer outputs have no gradient. GroupNormalization's backward pass
# crashes the interpreter (segmentation fault inside torch's autograd, also
# before weights took Keras's layout): reported, left out here so the
# other cases run.
NO_GRADIENT = {"CategoryEncoding", "Discretization", "GroupNormalization"}


@pytest.mark.parametrize("name", sorted(set(SPECS) - NO_GRADIENT))
def test_gradients_have_keras_shapes(name, rng):
    model = _model(lamina, name)
    weights = model.trainable_weights
    if not weights:
        return
    x = _data(name, rng)
    x = (
        [torch.as_tensor(v) for v in x]
        if isinstance(x, list)
        else torch.as_tensor(x)
    )
    out = model(x, training=False)
    loss = sum(o.float().sum() for o in _outputs(out))
    grads = torch.autograd.grad(loss, weights, allow_unused=True)
    for w, g in zip(weights, grads):
        if g is not None:
            assert g.shape == w.shape, w.path
    k_model = _model(keras, name)
    assert [tuple(w.shape) for w in weights] == [
        tuple(w.shape) for w in k_model.trainable_weights
    ]


def _outputs(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]
