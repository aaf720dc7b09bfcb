"""Writes `goldens/text_layers.json`: the outputs of Keras 3's text,
lookup and hashing layers, which need TensorFlow (not installed for the
tests). Run it where Keras 3.15.1 and TensorFlow are installed:

    KERAS_BACKEND=tensorflow python tests/layers/preprocessing/keras_tf_goldens.py

The tests rebuild each case with lamina and compare (test_*_goldens)."""

import json
import os
import sys

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from golden_cases import CASES


def _plain(value):
    value = np.asarray(value)
    if value.dtype.kind in "OS":
        return np.vectorize(
            lambda b: b.decode("utf-8") if isinstance(b, bytes) else b,
            otypes=[object],
        )(value).tolist()
    return value.tolist()


def run_case(case):
    cls = getattr(keras.layers, case["cls"])
    layer = cls(**case["kwargs"])
    if case.get("adapt") is not None:
        layer.adapt(
            np.array(case["adapt"])
            if case.get("adapt_array")
            else case["adapt"],
            **case.get("adapt_kwargs", {}),
        )
    inputs = case["input"]
    if case.get("input_tuple"):
        inputs = tuple(np.array(x) for x in inputs)
    elif case.get("input_dtype"):
        inputs = np.array(inputs, dtype=case["input_dtype"])
    else:
        inputs = np.array(inputs)
    result = layer(inputs)
    if "Ragged" in type(result).__name__:
        return {"error": f"ragged output {result.to_list()}"}
    out = {"output": _plain(result), "dtype": str(np.asarray(result).dtype)}
    if hasattr(layer, "get_vocabulary"):
        out["vocabulary"] = [
            str(v)
            if isinstance(v, str)
            else (v.decode() if isinstance(v, bytes) else int(v))
            for v in layer.get_vocabulary()
        ]
    config = layer.get_config()
    config.pop("name")
    out["config"] = json.loads(
        json.dumps(
            keras.saving.serialize_keras_object(config) if False else config,
            default=str,
        )
    )
    idf = getattr(layer, "idf_weights", None)
    if idf is None and hasattr(layer, "_lookup_layer"):
        idf = getattr(layer._lookup_layer, "idf_weights", None)
    if idf is not None:
        out["idf_weights"] = np.asarray(idf).tolist()
    return out


TEXTS = [["the cat"], ["x"], ["dog days y"]]
IDS = [[5, 6, 7], [7, 7, 1], [9, 5, 5]]


def text_model(lib):
    """A model holding adapted text and lookup layers (shared with the
    tests, which build it with lamina)."""
    text = lib.Input(shape=(1,), dtype="string", name="text")
    ids = lib.Input(shape=(3,), dtype="int64", name="ids")
    tf_idf = lib.layers.TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(["the cat sat", "the dog", "a cat"])
    ints = lib.layers.TextVectorization(output_sequence_length=5)
    ints.adapt(["the cat sat", "the dog", "a cat", "Dog days"])
    strings = lib.layers.StringLookup(num_oov_indices=2, mask_token="")
    strings.adapt(["x", "y", "x", "dog days y"])
    given = lib.layers.StringLookup(
        vocabulary=["cat", "x"], output_mode="count"
    )
    integers = lib.layers.IntegerLookup(
        output_mode="multi_hot", max_tokens=4, pad_to_max_tokens=True
    )
    integers.adapt(np.array([5, 6, 7, 7, 7, 5, 9]))
    outputs = [
        tf_idf(text),
        ints(text),
        strings(text),
        given(text),
        integers(ids),
    ]
    return lib.Model([text, ids], outputs)


def write_model_file(path):
    model = text_model(keras)
    model.save(path)
    outputs = model([np.array(TEXTS), np.array(IDS)])
    return [np.asarray(o).tolist() for o in outputs]


def main():
    results = {}
    for case in CASES:
        try:
            results[case["id"]] = run_case(case)
        except Exception as e:  # noqa: BLE001 - recorded as the oracle's
            results[case["id"]] = {"error": f"{type(e).__name__}: {e}"}
    model_outputs = write_model_file(
        os.path.join(HERE, "goldens", "text_model.keras")
    )
    path = os.path.join(HERE, "goldens", "text_layers.json")
    with open(path, "w") as f:
        json.dump(
            {
                "keras": keras.__version__,
                "cases": results,
                "text_model_outputs": model_outputs,
            },
            f,
            indent=0,
            sort_keys=True,
        )
    print(f"wrote {len(results)} cases to {path}")


if __name__ == "__main__":
    main()
