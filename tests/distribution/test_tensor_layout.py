"""`TensorLayout` and `LayoutMap` against Keras's; placements and
`distribute_tensor` on a one-process group."""

import pytest
import torch
from torch.distributed.tensor import DTensor
from torch.distributed.tensor import Replicate
from torch.distributed.tensor import Shard

import lamina
from lamina.distribution import DeviceMesh
from lamina.distribution import LayoutMap
from lamina.distribution import TensorLayout
from lamina.distribution import distribute_tensor
from tests.keras_oracle import keras

DEVICES = ["cpu:0", "cpu:1"]


def _meshes():
    return (
        DeviceMesh((1, 2), ["batch", "model"], DEVICES),
        keras.distribution.DeviceMesh((1, 2), ["batch", "model"], DEVICES),
    )


def test_layout_matches_keras():
    mesh, keras_mesh = _meshes()
    ours, theirs = (
        TensorLayout((None, "model")),
        keras.distribution.TensorLayout((None, "model")),
    )
    ours.device_mesh, theirs.device_mesh = mesh, keras_mesh
    assert ours.axes == theirs.axes and repr(ours) == repr(theirs)
    for lib_layout, lib_mesh in ((ours, mesh), (theirs, keras_mesh)):
        with pytest.raises(ValueError, match="Cannot override device mesh"):
            lib_layout.device_mesh = lib_mesh
    with pytest.raises(ValueError, match="Invalid axis names for Layout"):
        TensorLayout(("data",), mesh)
    with pytest.raises(ValueError, match="Invalid axis names for Layout"):
        keras.distribution.TensorLayout(("data",), keras_mesh)


def test_backend_layout_placements():
    mesh, _ = _meshes()
    assert TensorLayout((None, "model"), mesh).backend_layout == (
        Replicate(),
        Shard(1),
    )
    assert TensorLayout(("batch", None, None), mesh).backend_layout == (
        Shard(0),
        Replicate(),
    )
    with pytest.raises(ValueError, match="has no device mesh"):
        _ = TensorLayout((None,)).backend_layout


def test_layout_map_matches_keras():
    mesh, keras_mesh = _meshes()
    ours, theirs = LayoutMap(mesh), keras.distribution.LayoutMap(keras_mesh)
    for layout_map in (ours, theirs):
        layout_map[".*dense.*kernel"] = (None, "model")
        layout_map[".*dense.*bias"] = ("model",)
        layout_map["conv/kernel"] = (None, None, "model")
    for path in (
        "seq/dense/kernel",
        "seq/dense_1/bias",
        "conv/kernel",
        "x/bias",
    ):
        a, b = ours[path], theirs[path]
        assert (a is None) == (b is None)
        if a is not None:
            assert a.axes == b.axes and a.device_mesh is mesh
    assert len(ours) == 3 and list(ours) == list(theirs)
    del ours["conv/kernel"]
    assert ours.get("conv/kernel") is None


def test_layout_map_errors_match_keras():
    mesh, keras_mesh = _meshes()
    for layout_map in (
        LayoutMap(mesh),
        keras.distribution.LayoutMap(keras_mesh),
    ):
        layout_map["dense.*"] = (None, "model")
        layout_map[".*kernel"] = (None, "model")
        with pytest.raises(ValueError, match="matches multiple layout"):
            layout_map["dense/kernel"]
        with pytest.raises(ValueError, match="already exist in the LayoutMap"):
            layout_map["dense.*"] = (None, None)
        with pytest.raises(ValueError, match="should be a TensorLayout type"):
            layout_map["other"] = [None, "model"]


def test_distribute_tensor_on_one_process(one_process_group):
    mesh = DeviceMesh((1, 1), ["batch", "model"], ["cpu:0"])
    x = torch.arange(12.0).reshape(3, 4)
    out = distribute_tensor(x, TensorLayout((None, "model"), mesh))
    assert isinstance(out, DTensor)
    assert out.placements == (Replicate(), Shard(1))
    torch.testing.assert_close(out.full_tensor(), x)
    symbolic = lamina.Input((4,))
    assert (
        distribute_tensor(symbolic, TensorLayout((None, "model"), mesh))
        is symbolic
    )
    with pytest.raises(ValueError, match="expected a TensorLayout"):
        distribute_tensor(x, (None, "model"))
