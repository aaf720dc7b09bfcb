"""ResNet50 written directly in `torch.nn` (no torchvision), layer for
layer the network of `lamina.applications.ResNet50` / Keras's: biased
convolutions, batch norm with epsilon 1.001e-5 and Keras's momentum,
the stride on the first 1x1 convolution of a block. `copy_from` fills it
with a lamina model's weights, so the bench can check that both compute
the same function before timing them."""

from __future__ import annotations

import torch
from torch import nn

_EPS = 1.001e-5
_MOMENTUM = 0.01  # torch's momentum is 1 - Keras's 0.99


def _bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=_EPS, momentum=_MOMENTUM)


class Bottleneck(nn.Module):
    def __init__(self, cin: int, filters: int, stride: int, project: bool):
        super().__init__()
        out = 4 * filters
        self.project = project
        if project:
            self.conv0 = nn.Conv2d(cin, out, 1, stride=stride)
            self.bn0 = _bn(out)
        self.conv1 = nn.Conv2d(cin, filters, 1, stride=stride)
        self.bn1 = _bn(filters)
        self.conv2 = nn.Conv2d(filters, filters, 3, padding=1)
        self.bn2 = _bn(filters)
        self.conv3 = nn.Conv2d(filters, out, 1)
        self.bn3 = _bn(out)

    def forward(self, x):
        shortcut = self.bn0(self.conv0(x)) if self.project else x
        y = torch.relu(self.bn1(self.conv1(x)))
        y = torch.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return torch.relu(shortcut + y)

    def named_like_keras(self, name: str) -> dict:
        parts = {"1": (self.conv1, self.bn1), "2": (self.conv2, self.bn2)}
        parts["3"] = (self.conv3, self.bn3)
        if self.project:
            parts["0"] = (self.conv0, self.bn0)
        found = {}
        for i, (conv, bn) in parts.items():
            found[f"{name}_{i}_conv"] = conv
            found[f"{name}_{i}_bn"] = bn
        return found


class ResNet50(nn.Module):
    def __init__(self, classes: int = 1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3)
        self.bn1 = _bn(64)
        blocks, self.block_names, cin = [], [], 64
        stages = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))
        for stage, (filters, count, stride) in enumerate(stages, start=2):
            for i in range(count):
                first = i == 0
                blocks.append(
                    Bottleneck(cin, filters, stride if first else 1, first)
                )
                self.block_names.append(f"conv{stage}_block{i + 1}")
                cin = 4 * filters
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(2048, classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        # After a ReLU, zero padding (Keras's) and -inf padding agree.
        x = nn.functional.max_pool2d(x, 3, stride=2, padding=1)
        x = self.blocks(x).mean(dim=(2, 3))
        return torch.softmax(self.fc(x), dim=-1)

    def named_like_keras(self) -> dict:
        """Keras's layer name -> the module holding that layer's weights."""
        found = {"conv1_conv": self.conv1, "conv1_bn": self.bn1}
        for name, block in zip(self.block_names, self.blocks):
            found.update(block.named_like_keras(name))
        return {**found, "predictions": self.fc}


@torch.no_grad()
def copy_from(model: ResNet50, lamina_model) -> None:
    """Copy the weights of a lamina ResNet50 (with its top) into `model`."""
    modules = model.named_like_keras()
    weighted = {layer.name for layer in lamina_model.layers if layer.weights}
    if weighted != set(modules):
        raise ValueError(f"layers differ: {sorted(weighted ^ set(modules))}")
    for name, module in modules.items():
        layer = lamina_model.get_layer(name)
        values = [torch.as_tensor(w) for w in layer.get_weights()]
        if isinstance(module, nn.Conv2d):
            module.weight.copy_(values[0].permute(3, 2, 0, 1))
            module.bias.copy_(values[1])
        elif isinstance(module, nn.BatchNorm2d):
            gamma, beta, mean, var = values
            module.weight.copy_(gamma)
            module.bias.copy_(beta)
            module.running_mean.copy_(mean)
            module.running_var.copy_(var)
        else:
            module.weight.copy_(values[0].T)
            module.bias.copy_(values[1])
