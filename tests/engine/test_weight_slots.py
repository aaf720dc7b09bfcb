"""The weight-slot protocol (`lamina/engine/weight_slots.py`): one view of
weights for lamina layers and plain torch modules alike."""

import numpy as np
import torch

import lamina
from lamina.engine import weight_slots


def test_layer_slots_follow_keras_order_and_get_weights():
    layer = lamina.layers.BatchNormalization()
    layer(torch.randn(4, 3))
    slots = weight_slots.own_slots(layer)
    assert [s.attr for s in slots] == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]
    for slot, array in zip(slots, layer.get_weights()):
        np.testing.assert_array_equal(slot.to_array(), array)
    assert [s.shape for s in slots] == [(3,)] * 4


def test_plain_torch_module_adapter_lists_parameters_then_buffers():
    module = torch.nn.BatchNorm1d(2)
    slots = weight_slots.own_slots(module)
    assert [s.attr for s in slots] == [
        "weight",
        "bias",
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]
    assert all(s.owner is module for s in slots)
    assert weight_slots.trainable_tensors(module) == [
        module.weight,
        module.bias,
    ]


def test_all_slots_of_a_model_match_its_weights():
    model = lamina.Sequential(
        [
            lamina.Input((3,)),
            lamina.layers.Dense(2),
            lamina.layers.TorchModuleWrapper(torch.nn.Linear(2, 1)),
        ]
    )
    slots = weight_slots.all_slots(model)
    assert [s.tensor for s in slots] == list(model.weights)
    assert sum(s.tensor.numel() for s in slots) == model.count_params()
    model.layers[0].trainable = False
    trainable = weight_slots.trainable_tensors(model)
    assert trainable == list(model.trainable_weights)
    assert id(model.layers[0].kernel) not in {id(t) for t in trainable}
