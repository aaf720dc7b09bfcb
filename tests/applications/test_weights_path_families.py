"""`weights=<path>` for every application family: a file Keras wrote in
the layout of its published ImageNet files (Keras's initial kernels,
random batch-norm statistics, scales and biases) fills lamina's model so
that it computes what Keras's does. (ResNet50 is in `test_weights.py`;
MobileNetV3 and EfficientNet in their families' tests.)"""

import numpy as np
import pytest

from lamina import applications
from tests.applications import family_parity as fp
from tests.applications.parity import _randomize_keras
from tests.keras_oracle import keras, to_numpy

# (function, input side): the smallest member of each family, at (or
# near) its smallest input. The slowest to build twice are `slow`
# (`bash scripts/test.sh -m slow`).
CASES = [
    ("VGG16", 32),
    ("ResNet50V2", 32),
    pytest.param("DenseNet121", 32, marks=pytest.mark.slow),
    ("MobileNet", 32),
    ("MobileNetV2", 32),
    pytest.param("EfficientNetV2B0", 32, marks=pytest.mark.slow),
    ("ConvNeXtTiny", 32),
    pytest.param("Xception", 71, marks=pytest.mark.slow),
    pytest.param("InceptionV3", 75, marks=pytest.mark.slow),
    pytest.param("InceptionResNetV2", 75, marks=pytest.mark.slow),
]


@pytest.mark.parametrize("name,side", CASES)
def test_weights_path_loads_keras_file(name, side, tmp_path, rng):
    kwargs = dict(include_top=False, input_shape=(side, side, 3))
    keras.backend.clear_session()
    theirs = getattr(keras.applications, name)(weights=None, **kwargs)
    _randomize_keras(theirs, rng)
    path = fp.save_published_layout(theirs, tmp_path / f"{name}.h5")
    ours = getattr(applications, name)(weights=path, **kwargs)
    x = fp.images((2, side, side, 3))
    expected = to_numpy(theirs(x, training=False))
    got = ours(x, training=False).detach().cpu().numpy()
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * scale)
