"""The VGG networks (Keras's `vgg16` and `vgg19`): five blocks of 3x3
convolutions, each closed by max pooling, and a top of two 4096-unit
layers.

Reference: [Very Deep Convolutional Networks for Large-Scale Image
Recognition](https://arxiv.org/abs/1409.1556).
"""

from __future__ import annotations

from typing import Any

from lamina import layers
from lamina.applications import base_application


def vgg(args: dict, convs: tuple, owner: str, hashes: tuple) -> Any:
    """A VGG with `convs[i]` convolutions in block `i + 1`; `hashes` of
    Keras's files with and without the top."""
    folder = owner.lower()

    def body(x):
        for block, (filters, count) in enumerate(
            zip((64, 128, 256, 512, 512), convs), start=1
        ):
            for i in range(1, count + 1):
                x = layers.Conv2D(
                    filters,
                    (3, 3),
                    activation="relu",
                    padding="same",
                    name=f"block{block}_conv{i}",
                )(x)
            x = layers.MaxPooling2D(
                (2, 2), strides=(2, 2), name=f"block{block}_pool"
            )(x)
        return x

    stem = f"{folder}_weights_tf_dim_ordering_tf_kernels"
    files = (
        base_application.weights_file(folder, f"{stem}.h5", hashes[0]),
        base_application.weights_file(folder, f"{stem}_notop.h5", hashes[1]),
    )
    return base_application.build(
        args, body, owner=owner, files=files, top=_top
    )


def _top(x: Any, args: dict) -> Any:
    if not args["include_top"]:
        return base_application.unnamed_pooled_top(x, args)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc1")(x)
    x = layers.Dense(4096, activation="relu", name="fc2")(x)
    return base_application.classifier(x, args)
