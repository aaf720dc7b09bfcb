"""`lamina.export.ExportArchive`: endpoints written as `.pt2` programs
(reloaded with `torch.export.load`) and as ONNX (reloaded with
onnxruntime), outputs compared with the live model at batch sizes other
than the one captured; variable collections reloaded with `torch.load`.

Keras's own `ExportArchive` writes a TensorFlow SavedModel, which needs
TensorFlow, so the oracle here is the model's own eager call.
"""

import os

import numpy as np
import onnxruntime as ort
import pytest
import torch

import lamina
from lamina import layers
from lamina.export import ExportArchive


def _model():
    inputs = lamina.Input((4,), name="features")
    x = layers.Dense(8, activation="relu")(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.BatchNormalization()(x)
    return lamina.Model(inputs, layers.Dense(3)(x))


def _spec(*shape):
    return lamina.InputSpec(shape=(None, *shape), dtype="float32")


def _run_onnx(path, *arrays):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        path, options, providers=["CPUExecutionProvider"]
    )
    names = [i.name for i in session.get_inputs()]
    return session.run(None, dict(zip(names, arrays)))


@pytest.mark.parametrize("batch", [1, 5])
def test_pt2_endpoints_reload_with_torch_export_load(tmp_path, batch):
    torch.manual_seed(0)
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.random.rand(16, 4), np.random.rand(16, 3), epochs=1, verbose=0)
    archive = ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "serve", lambda x: model(x, training=False), [_spec(4)]
    )
    archive.add_endpoint(
        "double",
        lambda x, y: model(x + y, training=False) * 2,
        [_spec(4), _spec(4)],
    )
    archive.write_out(str(tmp_path / "out"), verbose=False)
    x = torch.rand(batch, 4)
    y = torch.rand(batch, 4)
    with torch.no_grad():
        want = model(x, training=False)
        want2 = model(x + y, training=False) * 2
    serve = torch.export.load(str(tmp_path / "out" / "serve.pt2")).module()
    double = torch.export.load(str(tmp_path / "out" / "double.pt2")).module()
    torch.testing.assert_close(serve(x), want, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(double(x, y), want2, rtol=1e-6, atol=1e-6)
    # The model is back in training mode with trainable weights.
    assert all(p.requires_grad for p in model.trainable_weights)


def test_tracked_weights_are_program_parameters(tmp_path):
    model = _model()
    archive = ExportArchive()
    archive.track_and_add_endpoint("serve", model, [_spec(4)])
    archive.write_out(tmp_path, verbose=False)
    program = torch.export.load(str(tmp_path / "serve.pt2"))
    assert len(program.graph_signature.parameters) == len(
        list(model.parameters())
    )


def test_bound_method_tracks_its_layer(tmp_path):
    layer = layers.Dense(2)
    layer.build((None, 3))
    archive = ExportArchive()
    archive.add_endpoint("serve", layer.call, [_spec(3)])
    archive.write_out(tmp_path, verbose=False)
    program = torch.export.load(str(tmp_path / "serve.pt2"))
    assert len(program.graph_signature.parameters) == 2
    x = torch.rand(7, 3)
    torch.testing.assert_close(program.module()(x), layer(x).detach())


def test_onnx_endpoints_reload_with_onnxruntime(tmp_path):
    model = _model()
    archive = ExportArchive(format="onnx")
    archive.track(model)
    archive.add_endpoint(
        "serve", lambda x: model(x, training=False), [_spec(4)]
    )
    archive.write_out(tmp_path, options={"opset_version": 18}, verbose=False)
    x = np.random.rand(6, 4).astype("float32")
    (got,) = _run_onnx(str(tmp_path / "serve.onnx"), x)
    want = model(torch.from_numpy(x), training=False).detach().numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_variable_collection_round_trip(tmp_path, capsys):
    model = _model()
    archive = ExportArchive()
    archive.track_and_add_endpoint("serve", model, [_spec(4)])
    archive.add_variable_collection("weights", model.weights)
    archive.write_out(tmp_path)
    assert "serve.pt2" in capsys.readouterr().out
    loaded = torch.load(str(tmp_path / "weights.pt"))
    assert len(loaded) == len(model.weights)
    for got, want in zip(loaded, model.weights):
        torch.testing.assert_close(got, want.detach())
    assert sorted(os.listdir(tmp_path)) == ["serve.pt2", "weights.pt"]


def test_errors():
    with pytest.raises(ValueError, match="Received: format='saved_model'"):
        ExportArchive(format="saved_model")
    archive = ExportArchive()
    with pytest.raises(ValueError, match="Invalid resource type"):
        archive.track("model")
    with pytest.raises(ValueError, match="has not yet been built"):
        archive.track(layers.Dense(2))
    with pytest.raises(ValueError, match="needs `input_signature`"):
        archive.add_endpoint("serve", lambda x: x)
    with pytest.raises(TypeError, match="expected a callable"):
        archive.add_endpoint("serve", 3, [_spec(2)])
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        archive.add_endpoint("serve", lambda x: x, [_spec(2)], jax2tf=1)
    with pytest.raises(ValueError, match="needs a `shape`"):
        archive.add_endpoint("serve", lambda x: x, [lamina.InputSpec()])
    with pytest.raises(ValueError, match="No endpoints"):
        archive.write_out("unused")
    archive.add_endpoint("serve", lambda x: x * 2, [_spec(2)])
    with pytest.raises(ValueError, match="'serve' is already taken"):
        archive.add_endpoint("serve", lambda x: x, [_spec(2)])
    with pytest.raises(ValueError, match="expected a Python identifier"):
        archive.add_endpoint("a/b", lambda x: x, [_spec(2)])
    with pytest.raises(ValueError, match="list/tuple/set"):
        archive.add_variable_collection("v", torch.ones(2))
    with pytest.raises(ValueError, match="to be tensors"):
        archive.add_variable_collection("v", [1.0])
    with pytest.raises(ValueError, match=r"unknown keys \['opset_version'\]"):
        archive.write_out("unused", options={"opset_version": 18})


def test_capture_failure_names_the_endpoint(tmp_path):
    archive = ExportArchive()
    archive.add_endpoint("bad", lambda x: x[: int(x.sum() > 0)], [_spec(2)])
    with pytest.raises(RuntimeError, match="'bad'.*could not be exported"):
        archive.write_out(tmp_path, verbose=False)
    assert not os.path.exists(tmp_path / "bad.pt2")
