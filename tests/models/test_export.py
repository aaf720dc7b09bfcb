"""`Model.export`: ONNX (checked with onnxruntime) and TorchScript (checked
with torch.jit.load), reloaded and compared with `predict` at a batch size
other than the one the exporters traced at (2)."""

import os

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

import lamina
from lamina import layers
from lamina.errors import LaminaWarning
from lamina.utils import tree

FORMATS = ["onnx", "torchscript"]
SUFFIX = {"onnx": ".onnx", "torchscript": ".pt"}


def _reload_and_run(fmt, path, inputs):
    """Run the exported file on a list of arrays; a list of outputs."""
    if fmt == "onnx":
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        session = ort.InferenceSession(
            path, options, providers=["CPUExecutionProvider"]
        )
        names = [i.name for i in session.get_inputs()]
        return session.run(None, dict(zip(names, inputs)))
    module = torch.jit.load(path)
    outputs = module(*[torch.from_numpy(x) for x in inputs])
    assert not any(o.requires_grad for o in tree.flatten(outputs))
    return [o.numpy() for o in tree.flatten(outputs)]


def _check_export(model, fmt, tmp_path, inputs, predict_inputs=None):
    path = str(tmp_path / f"model{SUFFIX[fmt]}")
    assert model.export(path, format=fmt, verbose=False) == path
    if predict_inputs is None:
        predict_inputs = inputs[0] if len(inputs) == 1 else inputs
    expected = model.predict(predict_inputs, verbose=0)
    got = _reload_and_run(fmt, path, inputs)
    assert len(got) == len(tree.flatten(expected))
    for g, e in zip(got, tree.flatten(expected)):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5)
    return path


def _mlp():
    model = lamina.Sequential(
        [
            lamina.Input((6,)),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.5),
            layers.BatchNormalization(),
            layers.Dense(3),
        ]
    )
    bn = model.layers[2]
    bn.moving_mean.assign(torch.linspace(-1.0, 1.0, 8))
    bn.moving_variance.assign(torch.linspace(0.5, 2.0, 8))
    return model


@pytest.mark.parametrize("fmt", FORMATS)
def test_mlp_with_dropout_and_batchnorm_runs_in_inference_mode(
    fmt, tmp_path, rng
):
    model = _mlp()
    model.train()
    trainable = [p.requires_grad for p in model.parameters()]
    x = rng.normal(size=(5, 6)).astype("float32")
    _check_export(model, fmt, tmp_path, [x])
    # The model's own state is as it was before the export.
    model.train()
    assert model.training and model.layers[1].training
    assert [p.requires_grad for p in model.parameters()] == trainable


@pytest.mark.parametrize("fmt", FORMATS)
def test_functional_model_with_two_inputs_and_two_outputs(fmt, tmp_path, rng):
    a, b = lamina.Input((4,), name="a"), lamina.Input((3,), name="b")
    merged = layers.Concatenate()([layers.Dense(5)(a), b])
    model = lamina.Model(
        [a, b],
        [layers.Dense(2)(merged), layers.Dense(1, activation="sigmoid")(b)],
    )
    xs = [
        rng.normal(size=(7, 4)).astype("float32"),
        rng.normal(size=(7, 3)).astype("float32"),
    ]
    path = _check_export(model, fmt, tmp_path, xs)
    if fmt == "onnx":
        session = ort.InferenceSession(path)
        assert [(i.name, i.shape) for i in session.get_inputs()] == [
            ("a", ["batch", 4]),
            ("b", ["batch", 3]),
        ]
        assert [(o.name, o.shape) for o in session.get_outputs()] == [
            ("output_0", ["batch", 2]),
            ("output_1", ["batch", 1]),
        ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_small_cnn(fmt, tmp_path, rng):
    model = lamina.Sequential(
        [
            lamina.Input((8, 8, 3)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    x = rng.normal(size=(5, 8, 8, 3)).astype("float32")
    _check_export(model, fmt, tmp_path, [x])


@pytest.mark.parametrize("fmt", FORMATS)
def test_lstm(fmt, tmp_path, rng):
    model = lamina.Sequential(
        [lamina.Input((7, 3)), layers.LSTM(4), layers.Dense(2)]
    )
    x = rng.normal(size=(5, 7, 3)).astype("float32")
    _check_export(model, fmt, tmp_path, [x])


def test_torchscript_lstm_keeps_a_free_time_axis(tmp_path, rng):
    model = lamina.Sequential([lamina.Input((None, 3)), layers.LSTM(4)])
    x = rng.normal(size=(5, 11, 3)).astype("float32")  # traced at 8 steps
    _check_export(model, "torchscript", tmp_path, [x])


def test_dict_inputs_onnx_names_and_torchscript_order(tmp_path, rng):
    inputs = {"x": lamina.Input((4,)), "w": lamina.Input((2,))}
    model = lamina.Model(
        inputs,
        layers.Dense(2)(layers.Concatenate()([inputs["x"], inputs["w"]])),
    )
    data = {
        "x": rng.normal(size=(3, 4)).astype("float32"),
        "w": rng.normal(size=(3, 2)).astype("float32"),
    }
    flat = [data["w"], data["x"]]  # sorted-key order, as tree.flatten
    path = _check_export(model, "onnx", tmp_path, flat, data)
    assert [i.name for i in ort.InferenceSession(path).get_inputs()] == [
        "w",
        "x",
    ]
    _check_export(model, "torchscript", tmp_path, flat, data)


class _Subclassed(lamina.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(3)

    def call(self, inputs):
        return self.dense(inputs)


def test_subclassed_model_signature_from_first_call(tmp_path, rng):
    model = _Subclassed()
    model(torch.ones(4, 5))
    x = rng.normal(size=(6, 5)).astype("float32")
    _check_export(model, "torchscript", tmp_path, [x])


class _ListInput(lamina.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(3)

    def call(self, inputs):
        return self.dense(inputs[0]) * inputs[1]


def test_subclassed_model_called_on_a_list(tmp_path, rng):
    model = _ListInput()
    model([torch.ones(4, 5), torch.ones(4, 3)])
    xs = [
        rng.normal(size=(6, 5)).astype("float32"),
        rng.normal(size=(6, 3)).astype("float32"),
    ]
    _check_export(
        model, "torchscript", tmp_path, xs, [torch.from_numpy(x) for x in xs]
    )


@pytest.mark.parametrize(
    "signature",
    [
        lamina.InputSpec(shape=(None, 5), dtype="float32"),
        [lamina.InputSpec(shape=(None, 5))],  # Keras's [structure] form
        torch.zeros(1, 5),
    ],
)
def test_subclassed_model_with_input_signature(signature, tmp_path, rng):
    model = _Subclassed()
    x = rng.normal(size=(6, 5)).astype("float32")
    path = str(tmp_path / "model.pt")
    model.export(
        path, format="torchscript", verbose=False, input_signature=signature
    )
    np.testing.assert_allclose(
        _reload_and_run("torchscript", path, [x])[0],
        model.predict(x, verbose=0),
        rtol=1e-5,
        atol=1e-5,
    )


def test_subclassed_model_without_signature_raises(tmp_path):
    with pytest.raises(
        ValueError,
        match=r"Model '.*' \(_Subclassed\) has "
        r"no known input signature.*input_signature=None",
    ):
        _Subclassed().export(str(tmp_path / "m.onnx"), format="onnx")
    assert os.listdir(tmp_path) == []


def test_bad_input_signature_type_raises(tmp_path):
    model = _Subclassed()
    with pytest.raises(
        TypeError,
        match=r"a shape goes in an InputSpec, "
        r"e\.g\. lamina\.InputSpec\(shape=\(None, 5\), dtype="
        r"'float32'\)\. Received: \[None, 5\]",
    ):
        model.export(
            str(tmp_path / "m.pt"),
            format="torchscript",
            input_signature=[[None, 5]],
        )
    with pytest.raises(
        TypeError,
        match=r"expected lamina.InputSpec, a "
        r"symbolic tensor.*Received: 'x'",
    ):
        model.export(
            str(tmp_path / "m.pt"),
            format="torchscript",
            input_signature={"x": "x"},
        )


@pytest.mark.parametrize(
    "fmt", [None, "tf_saved_model", "openvino", "litert", "xyz"]
)
def test_unknown_format_raises(fmt, tmp_path):
    with pytest.raises(
        ValueError,
        match=r"`format` of Sequential.export: "
        r"expected one of \['onnx', 'torchscript', 'torch'\].*"
        rf"Received: format={fmt!r}",
    ):
        _mlp().export(str(tmp_path / "m"), format=fmt)
    assert os.listdir(tmp_path) == []


def test_unknown_keyword_raises(tmp_path):
    with pytest.raises(
        ValueError,
        match=r"Unrecognized keyword arguments"
        r".*format='torchscript': \['opset_version'\]",
    ):
        _mlp().export(
            str(tmp_path / "m.pt"), format="torchscript", opset_version=18
        )


def test_opset_version_is_passed_to_the_converter(tmp_path):
    path = str(tmp_path / "m.onnx")
    _mlp().export(path, format="onnx", verbose=False, opset_version=20)
    versions = {o.domain: o.version for o in onnx.load(path).opset_import}
    assert versions[""] == 20


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_folder_raises_oserror_naming_path(fmt, tmp_path):
    path = str(tmp_path / "missing" / f"m{SUFFIX[fmt]}")
    with pytest.raises(OSError, match=r"Cannot save to .*missing"):
        _mlp().export(path, format=fmt, verbose=False)
    assert os.listdir(tmp_path) == []


def test_folder_that_is_a_file_raises_oserror(tmp_path):
    (tmp_path / "file").write_text("x")
    path = str(tmp_path / "file" / "m.onnx")
    with pytest.raises(OSError, match=r"Cannot save to .*file"):
        _mlp().export(path, format="onnx", verbose=False)
    assert os.listdir(tmp_path) == ["file"]


class _BatchAsConstant(lamina.Model):
    """Turns the batch size into a Python number: traces fix it."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(2)

    def call(self, x):
        rows = torch.arange(int(x.shape[0]), dtype=x.dtype, device=x.device)
        return self.dense(x) + rows[:, None]


@pytest.mark.filterwarnings("ignore::torch.jit.TracerWarning")
@pytest.mark.parametrize(
    "fmt,match",
    [
        ("torchscript", "does not reproduce the model at batch size 3"),
        ("onnx", "could not capture its call with a dynamic batch size"),
    ],
)
def test_batch_fixed_by_code_fails_and_keeps_old_file(fmt, match, tmp_path):
    path = tmp_path / f"m{SUFFIX[fmt]}"
    path.write_bytes(b"old")
    model = _BatchAsConstant()
    model(torch.ones(4, 3))
    with pytest.raises(
        RuntimeError,
        match=r"Model '.*' "
        rf"\(_BatchAsConstant\) could not be exported.*"
        rf"{match}",
    ):
        model.export(str(path), format=fmt, verbose=False)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == [path.name]


class _FixesAxis(layers.Layer):
    def call(self, x):
        return x.sum(axis=1) * float(x.shape[1])


def test_onnx_warns_when_code_fixes_a_free_axis(tmp_path, rng):
    x = lamina.Input((None, 3))
    model = lamina.Model(x, _FixesAxis()(x))
    path = str(tmp_path / "m.onnx")
    with pytest.warns(
        LaminaWarning,
        match=r"axes \[1\] of input .* fixed "
        r"them.*expects shape \(8, 3\)",
    ):
        model.export(path, format="onnx", verbose=False)
    data = rng.normal(size=(4, 8, 3)).astype("float32")
    np.testing.assert_allclose(
        _reload_and_run("onnx", path, [data])[0],
        model.predict(data, verbose=0),
        rtol=1e-5,
    )


def test_verbose_prints_the_path_and_accepts_pathlib(tmp_path, capsys):
    path = tmp_path / "m.pt"
    assert _mlp().export(path, format="torchscript") == str(path)
    assert f"Saved torchscript artifact at '{path}'." in capsys.readouterr().out
    assert path.is_file()
