"""`image_dataset_from_directory`, `text_dataset_from_directory` and
`audio_dataset_from_directory`: a folder per class → a lamina `Dataset`
of `(inputs, labels)` batches (see `dataset_utils.build_from_directory`).
"""

from __future__ import annotations

import wave
from typing import Any

import numpy as np
import torch

from lamina import config
from lamina.utils.dataset import Dataset
from lamina.utils.dataset_utils import (
    _IMAGE_FORMATS,
    _check_format,
    build_from_directory,
)
from lamina.utils.image_utils import _center_crop_box, _resize

_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def _image_loader(
    image_size, color_mode, interpolation, crop, pad, data_format
):
    from lamina.utils.image_utils import _convert, _open

    def load(path):
        img = _convert(_open(path), color_mode)
        x = np.asarray(img, dtype="float32")
        x = x[..., None] if x.ndim == 2 else x
        height, width = image_size
        if crop:
            left, top, right, bottom = _center_crop_box(
                (x.shape[1], x.shape[0]), (width, height)
            )
            x = x[top:bottom, left:right]
        elif pad:
            x = _pad_to_aspect(x, height / width)
        t = torch.from_numpy(np.ascontiguousarray(x)).permute(2, 0, 1)[None]
        t = _resize(t, image_size, interpolation)[0]
        return t if data_format == "channels_first" else t.permute(1, 2, 0)

    return load


def _pad_to_aspect(x: np.ndarray, ratio: float) -> np.ndarray:
    h, w = x.shape[:2]
    target_h, target_w = max(h, round(w * ratio)), max(w, round(h / ratio))
    out = np.zeros((target_h, target_w, x.shape[2]), x.dtype)
    top, left = (target_h - h) // 2, (target_w - w) // 2
    out[top : top + h, left : left + w] = x
    return out


def image_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: list | None = None,
    color_mode: str = "rgb",
    batch_size: int | None = 32,
    image_size: tuple = (256, 256),
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    data_format: str | None = None,
    format: str = "tf",
    verbose: bool = True,
) -> Any:
    """Images in class subfolders → batches of `(images, labels)`.

    Images are float32 in `[0, 255]`, resized to `image_size`; labels as
    `label_mode` says (`"int"`, `"categorical"`, `"binary"`, `None`). With
    `subset="both"`, returns `[training, validation]`. Needs Pillow.
    """
    _check_format(format)
    if color_mode not in _CHANNELS:
        raise ValueError(
            "Invalid value for argument `color_mode` of "
            "image_dataset_from_directory: expected 'rgb', 'rgba' or "
            f"'grayscale'. Received: color_mode={color_mode!r}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Invalid arguments to image_dataset_from_directory: "
            "`crop_to_aspect_ratio` and `pad_to_aspect_ratio` cannot both "
            "be True."
        )
    data_format = config.standardize_data_format(data_format)
    load = _image_loader(
        tuple(image_size),
        color_mode,
        interpolation,
        crop_to_aspect_ratio,
        pad_to_aspect_ratio,
        data_format,
    )
    return build_from_directory(
        directory,
        labels,
        label_mode,
        class_names,
        _IMAGE_FORMATS,
        batch_size,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        load,
    )


def text_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: list | None = None,
    batch_size: int | None = 32,
    max_length: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    format: str = "tf",
    verbose: bool = True,
) -> Any:
    """`.txt` files in class subfolders → batches of `(texts, labels)`;
    texts come as NumPy string arrays (Keras gives `tf.string` tensors),
    cut to `max_length` characters if given."""
    _check_format(format)

    def load(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return text[:max_length] if max_length is not None else text

    return build_from_directory(
        directory,
        labels,
        label_mode,
        class_names,
        (".txt",),
        batch_size,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        load,
    )


def _read_wav(path: str) -> np.ndarray:
    """PCM WAV → float32 `(samples, channels)` in [-1, 1], as
    `tf.audio.decode_wav` gives."""
    with wave.open(path, "rb") as f:
        width, channels = f.getsampwidth(), f.getnchannels()
        frames, rate = f.readframes(f.getnframes()), f.getframerate()
    if width == 1:
        x = (np.frombuffer(frames, "uint8").astype("float32") - 128) / 128
    elif width in (2, 4):
        dtype = "<i2" if width == 2 else "<i4"
        x = np.frombuffer(frames, dtype).astype("float32") / 2 ** (
            8 * width - 1
        )
    else:
        raise ValueError(
            f"Unsupported WAV sample width in {path}: {width} bytes; expected "
            "8-, 16- or 32-bit PCM"
        )
    return x.reshape(-1, channels), rate


def audio_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: list | None = None,
    batch_size: int | None = 32,
    sampling_rate: int | None = None,
    output_sequence_length: int | None = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> Any:
    """`.wav` files in class subfolders → batches of `(audio, labels)`,
    audio float32 `(batch, samples, channels)`, zero-padded to the longest
    in the batch or cut/padded to `output_sequence_length`. lamina does not
    resample: `sampling_rate`, if given, must equal the files' rate."""
    if ragged:
        raise ValueError(
            "Invalid value for argument `ragged` of "
            "audio_dataset_from_directory: torch has no ragged tensors; use "
            "output_sequence_length or the default padding. Received: "
            "ragged=True"
        )

    def load(path):
        x, rate = _read_wav(path)
        if sampling_rate is not None and rate != sampling_rate:
            raise ValueError(
                f"Invalid value for argument `sampling_rate`: {path} is "
                f"sampled at {rate} Hz and lamina does not resample. "
                f"Received: sampling_rate={sampling_rate}"
            )
        if output_sequence_length is not None:
            x = _fit_length(x, output_sequence_length)
        return torch.from_numpy(np.ascontiguousarray(x))

    ds = build_from_directory(
        directory,
        labels,
        label_mode,
        class_names,
        (".wav",),
        None,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        load,
    )
    if batch_size is None:
        return ds
    if isinstance(ds, list):
        return [_pad_batches(d, batch_size) for d in ds]
    return _pad_batches(ds, batch_size)


def _fit_length(x: np.ndarray, length: int) -> np.ndarray:
    if len(x) >= length:
        return x[:length]
    return np.concatenate([x, np.zeros((length - len(x), x.shape[1]), x.dtype)])


def _pad_batches(ds: Dataset, batch_size: int) -> Dataset:
    """Batch audio of different lengths, zero-padding to the longest."""

    def source():
        chunk = []
        for element in ds:
            chunk.append(element)
            if len(chunk) == batch_size:
                yield _pad_stack(chunk)
                chunk = []
        if chunk:
            yield _pad_stack(chunk)

    n = len(ds)
    out = ds._derive(source, -(-n // batch_size))
    return out


def _pad_stack(chunk: list) -> Any:
    audio = [c[0] if isinstance(c, tuple) else c for c in chunk]
    longest = max(len(a) for a in audio)
    batch = torch.stack(
        [torch.nn.functional.pad(a, (0, 0, 0, longest - len(a))) for a in audio]
    )
    if not isinstance(chunk[0], tuple):
        return batch
    return batch, torch.stack([c[1] for c in chunk])
