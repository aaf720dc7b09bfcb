"""Calibrated quantization (GPTQ, AWQ) of a model, block by block, as
Keras 3.15 does it.

The structure (`config.quantization_layer_structure`, else
`model.get_quantization_layer_structure(mode)`) names
`pre_block_layers`, which turn a calibration sample (token ids) into the
first block's input, and `sequential_blocks`. For each block in turn,
every quantizable leaf layer in it (a `Dense`/`EinsumDense` that
`filters` selects, already in the mode) gets an observer; the samples
run through the block while forward pre-hooks feed each layer's inputs to
its observer; each observer then quantizes its layer; and the block's
outputs, through its now quantized layers, are the next block's inputs.
So each block is calibrated on the errors of the blocks before it.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Iterator

import numpy as np
import torch

from lamina.quantization.awq import ActivationRangeObserver
from lamina.quantization.calibrated_weights import CalibrationTarget
from lamina.quantization.dense import DenseQuantization
from lamina.quantization.gptq import HessianObserver

_OBSERVERS: dict[str, Any] = {
    "gptq": HessianObserver,
    "awq": ActivationRangeObserver,
}


def prepare(model: Any, mode: str, config: Any) -> tuple[dict, np.ndarray]:
    """The structure to calibrate and the calibration samples, checked
    (with Keras's errors) before any layer changes."""
    structure = config.quantization_layer_structure
    if structure is None:
        hook = getattr(model, "get_quantization_layer_structure", None)
        structure = hook(mode) if hook is not None else None
    if structure is None:
        raise ValueError(
            f"For mode={mode!r}, a valid quantization structure must be "
            "provided either via `config.quantization_layer_structure` or "
            "by overriding `model.get_quantization_layer_structure(mode)`. "
            "The structure should be a dictionary with keys "
            "'pre_block_layers' and 'sequential_blocks'. Received: "
            "structure=None"
        )
    if config.dataset is None or config.tokenizer is None:
        raise ValueError(
            f"{mode.upper()} quantization requires a dataset and a "
            f"tokenizer. Please provide them in the `{type(config).__name__}`"
            f". Received: dataset={type(config.dataset).__name__}, "
            f"tokenizer={type(config.tokenizer).__name__}"
        )
    if not structure.get("sequential_blocks"):
        raise ValueError(
            "No sequential blocks found in the provided structure to "
            f"quantize. Received: structure={structure}"
        )
    samples = calibration_samples(
        config.tokenizer,
        config.sequence_length,
        config.dataset,
        config.num_samples,
    )
    return structure, samples


def _flat_tokens(dataset: Any, tokenizer: Any) -> np.ndarray:
    if not hasattr(dataset, "__iter__") or isinstance(dataset, (str, bytes)):
        raise TypeError(
            "The `dataset` argument must be an iterable (e.g., a list of "
            "strings, a generator, or a NumPy array). Got type: "
            f"{type(dataset).__name__}. Please pass the loaded dataset "
            "directly."
        )
    items = list(dataset)
    if not items:
        raise ValueError(
            "Provided dataset is empty. Received: dataset of type "
            f"{type(dataset).__name__} with no items"
        )
    if isinstance(items[0], str):
        items = [tokenizer.tokenize(text) for text in items]
    pieces = [_to_numpy(item).reshape(-1).astype(np.int32) for item in items]
    return np.concatenate(pieces, axis=0)


def _to_numpy(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def calibration_samples(
    tokenizer: Any, sequence_length: int, dataset: Any, num_samples: int
) -> np.ndarray:
    """`num_samples` windows of `sequence_length` tokens, int32
    `(num_samples, 1, sequence_length)`, spread evenly over the dataset's
    tokens (repeated when too few), from Keras's seeded offset."""
    tokens = _flat_tokens(dataset, tokenizer)
    required = num_samples * sequence_length
    if tokens.size < required:
        tokens = np.tile(tokens, math.ceil(required / max(1, tokens.size)))
    max_start = tokens.size - sequence_length
    if max_start < 0:
        raise ValueError(
            f"Not enough tokens to form one sample of length "
            f"{sequence_length} (have {tokens.size})."
        )
    stride = max(1, (max_start + 1) // num_samples)
    # Keras's offset: Python's hash of a fixed tuple (salted per process).
    offset = abs(hash(("gptq-calib", 42))) % (max_start + 1)
    starts = (offset + np.arange(num_samples) * stride) % (max_start + 1)
    windows = np.lib.stride_tricks.sliding_window_view(tokens, sequence_length)
    return windows[starts].astype(np.int32)[:, None, :]


def _quantizable_layers(block: Any, mode: str, filters: Any) -> list:
    from lamina.quantization.model_quantization import _leaf_layers, _selected

    # `Dense`, `EinsumDense` and their subclasses: the layers whose
    # handler is (a subclass of) Dense's.
    return [
        layer
        for layer in _leaf_layers(block)
        if isinstance(type(layer)._quantization_handler, DenseQuantization)
        and _selected(layer, filters)
        and layer.quantization_mode == mode
        and "kernel" in layer._weight_info  # not yet calibrated
    ]


@contextlib.contextmanager
def _observing(observers: dict) -> Iterator[None]:
    """Feed each layer's call inputs to its observer."""

    def hook(module, args, kwargs):
        observers[module].observe(args[0] if args else kwargs["inputs"])

    handles = [
        layer.register_forward_pre_hook(hook, with_kwargs=True)
        for layer in observers
    ]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def _batched(x: torch.Tensor) -> torch.Tensor:
    return x[None] if x.ndim == 2 else x


def calibrate(
    config: Any, structure: dict, samples: np.ndarray, filters: Any = None
) -> None:
    """Quantize the structure's blocks in turn (module docstring)."""
    blocks = structure["sequential_blocks"]
    device = _device(blocks)
    with torch.no_grad():
        inputs = []
        for sample in samples:
            x = torch.as_tensor(sample, dtype=torch.int32, device=device)
            for layer in structure.get("pre_block_layers", []):
                x = layer(x)
            inputs.append(x)
        for index, block in enumerate(blocks):
            _calibrate_block(block, inputs, config, filters)
            if index < len(blocks) - 1:
                inputs = [block(_batched(x))[0] for x in inputs]


def _calibrate_block(block, inputs, config, filters) -> None:
    observers = {
        layer: _OBSERVERS[config.mode](CalibrationTarget(layer), config)
        for layer in _quantizable_layers(block, config.mode, filters)
    }
    if not observers:
        return
    with _observing(observers):
        for x in inputs:
            block(_batched(x))
    for observer in observers.values():
        observer.quantize()


def _device(blocks: list) -> torch.device:
    for block in blocks:
        for weight in block.parameters():
            return weight.device
    return torch.device("cpu")
