"""`DeviceMesh` against Keras's, and its torch form."""

import pytest

from lamina.distribution import DeviceMesh
from tests.keras_oracle import keras

DEVICES = [f"cpu:{i}" for i in range(8)]


@pytest.mark.parametrize(
    "shape,axes", [((8,), ["batch"]), ((2, 4), ["batch", "model"])]
)
def test_matches_keras(shape, axes):
    ours = DeviceMesh(shape, axes, DEVICES)
    theirs = keras.distribution.DeviceMesh(shape, axes, DEVICES)
    assert ours.shape == theirs.shape and ours.axis_names == theirs.axis_names
    assert (ours.devices == theirs.devices).all()
    assert repr(ours) == repr(theirs) == str(ours)


@pytest.mark.parametrize(
    "args",
    [
        ((), ["batch"], DEVICES),
        ((8,), ["a", "b"], DEVICES),
        ((3,), ["a"], DEVICES),
    ],
)
def test_errors_match_keras(args):
    with pytest.raises(ValueError) as theirs:
        keras.distribution.DeviceMesh(*args)
    with pytest.raises(ValueError) as ours:
        DeviceMesh(*args)
    assert str(ours.value) == str(theirs.value)


def test_default_devices_are_the_processes():
    mesh = DeviceMesh((1,), ["batch"])
    assert mesh.devices.tolist() == [mesh.devices[0]]
    assert str(mesh.devices[0]).endswith(":0")


def test_backend_mesh(one_process_group):
    mesh = DeviceMesh((1, 1), ["batch", "model"], ["cpu:0"])
    torch_mesh = mesh.backend_mesh
    assert torch_mesh.mesh_dim_names == ("batch", "model")
    assert tuple(torch_mesh.mesh.shape) == (1, 1)
    assert torch_mesh.device_type == "cpu"
    assert mesh.backend_mesh is torch_mesh


def test_backend_mesh_errors(one_process_group):
    with pytest.raises(ValueError, match="one device of one type per process"):
        _ = DeviceMesh((2,), ["batch"], ["cpu:0", "cpu:1"]).backend_mesh
    with pytest.raises(ValueError, match="'<type>:<index>'"):
        _ = DeviceMesh((1,), ["batch"], ["cpu"]).backend_mesh


def test_backend_mesh_needs_the_process_group():
    with pytest.raises(
        RuntimeError, match="call lamina.distribution.initialize"
    ):
        _ = DeviceMesh((1,), ["batch"], ["cpu:0"]).backend_mesh
