"""`ModelParallel` as one process: Keras's attributes and layouts; the
weights it would shard stay plain (one device) and `fit` runs as usual."""

import numpy as np
import pytest

import lamina
from lamina.distribution import DeviceMesh
from lamina.distribution import LayoutMap
from lamina.distribution import ModelParallel
from tests.keras_oracle import keras

DEVICES = ["cpu:0", "cpu:1", "cpu:2", "cpu:3"]


def _strategies(batch_dim_name=None):
    out = []
    for lib in (lamina, keras):
        mesh = lib.distribution.DeviceMesh((2, 2), ["data", "model"], DEVICES)
        layout_map = lib.distribution.LayoutMap(mesh)
        layout_map[".*dense.*kernel"] = (None, "model")
        out.append(
            lib.distribution.ModelParallel(
                layout_map=layout_map, batch_dim_name=batch_dim_name
            )
        )
    return out


@pytest.mark.parametrize("batch_dim_name", [None, "model"])
def test_attributes_match_keras(batch_dim_name):
    ours, theirs = _strategies(batch_dim_name)
    assert ours.batch_dim_name == theirs.batch_dim_name
    assert ours.num_model_replicas == theirs.num_model_replicas == 2
    assert repr(ours) == repr(theirs)
    assert (
        ours.get_data_layout((4, 3)).axes == theirs.get_data_layout((4, 3)).axes
    )
    assert ours.get_tensor_layout("seq/dense/kernel").axes == (None, "model")


def test_variable_layouts_follow_the_paths():
    ours, _ = _strategies()
    model = lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(4, name="dense")], name="seq"
    )
    kernel, bias = model.layers[0].kernel, model.layers[0].bias
    assert kernel.path == "seq/dense/kernel"
    assert ours.get_variable_layout(kernel).axes == (None, "model")
    assert ours.get_variable_layout(bias).axes == (None,)


def test_errors_match_keras():
    mesh = DeviceMesh((4,), ["model"], DEVICES)
    for lib in (lamina, keras):
        with pytest.raises(ValueError, match="specify a layout_map"):
            lib.distribution.ModelParallel()
        with pytest.raises(ValueError, match="must be a `LayoutMap` instance"):
            lib.distribution.ModelParallel(layout_map={})
    assert ModelParallel(layout_map=LayoutMap(mesh)).batch_dim_name == "model"


def test_one_process_weights_stay_plain_and_fit_runs():
    mesh = DeviceMesh((1, 1), ["batch", "model"], ["cpu:0"])
    layout_map = LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    with ModelParallel(layout_map=layout_map).scope():
        model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
        assert type(model.layers[0].kernel) is lamina.Variable
        model.compile("sgd", "mse")
        history = model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    assert len(history.history["loss"]) == 1
