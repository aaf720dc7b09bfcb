"""to_python_logs: Keras's `pythonify_logs` semantics, tensors included."""

import numpy as np
import torch

from lamina.callbacks.logs import to_python_logs
from tests.keras_oracle import keras  # noqa: F401  (sets the torch backend)

from keras.src.utils.python_utils import pythonify_logs  # noqa: E402


def test_vector_logs_are_kept_as_arrays():
    logs = to_python_logs(
        {
            "v": torch.tensor([1.0, 2.0]),
            "a": np.ones(2),
            "b": torch.ones(2, dtype=torch.bfloat16),
        }
    )
    np.testing.assert_array_equal(logs["v"], [1.0, 2.0])
    assert logs["b"].dtype == np.float32
    assert isinstance(logs["a"], np.ndarray) and to_python_logs(None) == {}


def test_scalar_values_are_exact_for_each_dtype():
    logs = to_python_logs(
        {
            "f32": torch.tensor(0.1),
            "f64": torch.tensor(0.1, dtype=torch.float64),
            "i": torch.tensor(3),
            "b": torch.tensor(True),
        }
    )
    assert logs == {
        "b": 1.0,
        "f32": float(np.float32(0.1)),
        "f64": 0.1,
        "i": 3.0,
    }
    assert logs == pythonify_logs(
        {"b": True, "f32": np.float32(0.1), "f64": 0.1, "i": 3}
    )
