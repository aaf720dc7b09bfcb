"""Keras's dataset builders: `timeseries_dataset_from_array`,
`image_dataset_from_directory`, `text_dataset_from_directory`,
`audio_dataset_from_directory`, `split_dataset`.

They return a `lamina.utils.dataset.Dataset` where Keras returns a
`tf.data.Dataset` (the `format` argument accepts only `"tf"`, its
default, meaning "the framework's own dataset"). Files are listed,
labelled, shuffled and split exactly as Keras does (same order for the
same seed); images are decoded with Pillow and resized with torch's
bilinear (half-pixel) interpolation, as Keras on torch resizes.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import torch

from lamina.utils.dataset import Dataset
from lamina.utils.progbar import print_msg

_IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def _check_format(format: str) -> None:
    if format != "tf":
        raise ValueError(
            "Invalid value for argument `format`: lamina returns its own "
            "Dataset (documented in docs/datasets.md), which stands where "
            f"Keras returns a tf.data.Dataset; use 'tf'. Received: "
            f"format={format!r}"
        )


def timeseries_dataset_from_array(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: Any = None,
    start_index: int | None = None,
    end_index: int | None = None,
    format: str = "tf",
) -> Dataset:
    """Sliding windows over an array, batched: `(batch, sequence_length,
    ...)` inputs, and `targets[i]` for the window starting at step `i`.

    >>> import numpy as np
    >>> from lamina.utils import timeseries_dataset_from_array
    >>> ds = timeseries_dataset_from_array(np.arange(10), None, 3,
    ...                                    batch_size=4)
    >>> next(iter(ds)).tolist()
    [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]
    """
    _check_format(format)
    _check_timeseries_args(
        len(data), start_index, end_index, sampling_rate, sequence_stride
    )
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride)
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(positions)
    window = np.arange(0, sequence_length * sampling_rate, sampling_rate)
    data_slice = np.asarray(data[start:end])
    arrays = (data_slice[positions[:, None] + window[None]],)
    if targets is not None:
        arrays += (np.asarray(targets[start:])[positions],)
    ds = Dataset.from_tensor_slices(arrays if len(arrays) > 1 else arrays[0])
    if shuffle:
        ds = ds.shuffle(1024 if batch_size is None else batch_size * 8, seed)
    return ds.batch(batch_size) if batch_size is not None else ds


def _check_timeseries_args(n, start_index, end_index, sampling_rate, stride):
    def fail(what):
        raise ValueError(
            f"Invalid value for an argument of timeseries_dataset_from_array:"
            f" {what}"
        )

    if start_index and not 0 <= start_index < n:
        fail(
            f"`start_index` must be in [0, {n}). Received: "
            f"start_index={start_index}"
        )
    if end_index and (
        not 0 < end_index < n or (start_index and end_index <= start_index)
    ):
        fail(
            f"`end_index` must be in ({start_index or 0}, {n}). "
            f"Received: end_index={end_index}"
        )
    for name, value in (
        ("sampling_rate", sampling_rate),
        ("sequence_stride", stride),
    ):
        if not 0 < value < n:
            fail(
                f"`{name}` must be in (0, {n}) for data of length {n}. "
                f"Received: {name}={value}"
            )


def index_directory(
    directory: Any,
    labels: Any,
    formats: Any,
    class_names: Any = None,
    shuffle: bool = True,
    seed: Any = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> tuple:
    """Files under `directory` with one of `formats`, their integer labels
    and the class names, in Keras's order: class folders sorted, files
    sorted within each, then one global seeded shuffle."""
    subdirs = _class_dirs(directory, labels, class_names)
    class_indices = {name: i for i, name in enumerate(subdirs)}
    paths, found_labels = [], []
    for subdir in subdirs:
        root_dir = os.path.join(directory, subdir)
        for root, _, files in sorted(
            os.walk(root_dir, followlinks=follow_links)
        ):
            for fname in sorted(files):
                if fname.lower().endswith(formats):
                    paths.append(os.path.join(root, fname))
                    found_labels.append(class_indices[subdir])
    if labels == "inferred":
        labels, class_names = np.array(found_labels, "int32"), subdirs
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(paths):
            raise ValueError(
                "Invalid value for argument `labels`: expected one label per "
                f"file; found {len(paths)} files in {directory}. Received: "
                f"{len(labels)} labels"
            )
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        classes = (
            ""
            if labels is None
            else (f" belonging to {len(class_names)} classes")
        )
        print_msg(f"Found {len(paths)} files{classes}.")
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            labels = np.array(labels)
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def _class_dirs(directory, labels, class_names) -> list:
    if labels != "inferred":
        if class_names is not None:
            raise ValueError(
                "Invalid value for argument `class_names`: it can only be "
                "given with labels='inferred' (otherwise the class names "
                f"are the sorted labels). Received: class_names={class_names}"
            )
        return [""]
    subdirs = [
        d
        for d in sorted(os.listdir(directory))
        if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")
    ]
    if class_names is not None:
        if not set(class_names) <= set(subdirs):
            raise ValueError(
                "Invalid value for argument `class_names`: expected names of "
                f"subdirectories of {directory}: {subdirs}. Received: "
                f"class_names={class_names}"
            )
        return list(class_names)
    return subdirs


def _check_split_args(validation_split, subset, shuffle, seed) -> None:
    if validation_split is not None and not 0 < validation_split < 1:
        raise ValueError(
            "Invalid value for argument `validation_split`: expected a float "
            f"in (0, 1). Received: validation_split={validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError(
            "Invalid arguments: `validation_split` and `subset` go together. "
            f"Received: validation_split={validation_split}, subset={subset}"
        )
    if subset not in (None, "training", "validation", "both"):
        raise ValueError(
            "Invalid value for argument `subset`: expected 'training', "
            f"'validation' or 'both'. Received: subset={subset!r}"
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "Invalid arguments: with `validation_split` and `shuffle=True`, "
            "a `seed` is required so that the training and validation "
            "subsets do not overlap."
        )


def _split(paths, labels, validation_split, subset) -> tuple:
    if not validation_split:
        return paths, labels
    n_val = int(validation_split * len(paths))
    if subset == "training":
        print_msg(f"Using {len(paths) - n_val} files for training.")
        keep = slice(None, len(paths) - n_val)
    else:
        print_msg(f"Using {n_val} files for validation.")
        keep = slice(len(paths) - n_val, None)
    return paths[keep], None if labels is None else labels[keep]


def _with_labels(ds: Dataset, labels, label_mode, num_classes) -> Dataset:
    if label_mode is None:
        return ds
    labels = np.asarray(labels)
    if label_mode == "binary":
        values = labels.astype("float32")[:, None]
    elif label_mode == "categorical":
        values = np.eye(num_classes, dtype="float32")[labels]
    else:
        values = labels.astype("int32")
    label_ds = Dataset.from_tensor_slices(values)

    def source():
        yield from zip(ds, label_ds)

    return ds._derive(source, ds._length)


def _check_label_mode(labels, label_mode, class_names) -> None:
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            "Invalid value for argument `label_mode`: expected 'int', "
            f"'categorical', 'binary' or None. Received: "
            f"label_mode={label_mode!r}"
        )
    if labels is None or label_mode is None:
        return
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            "Invalid value for argument `label_mode`: 'binary' needs exactly "
            f"2 classes. Found {len(class_names)}: {class_names}"
        )


def build_from_directory(
    directory: Any,
    labels: Any,
    label_mode: Any,
    class_names: Any,
    formats: Any,
    batch_size: int | None,
    shuffle: Any,
    seed: Any,
    validation_split: Any,
    subset: Any,
    follow_links: Any,
    verbose: Any,
    load: Any,
) -> Any:
    """The shared body of the `*_dataset_from_directory` builders: index,
    split, load each file with `load(path)`, label, shuffle, batch."""
    if labels not in ("inferred", None) and not isinstance(
        labels, (list, tuple, np.ndarray)
    ):
        raise ValueError(
            "Invalid value for argument `labels`: expected 'inferred', None "
            f"or a list of labels. Received: labels={labels!r}"
        )
    if labels is None:
        label_mode = None
    _check_split_args(validation_split, subset, shuffle, seed)
    seed = np.random.randint(1e6) if seed is None else seed
    paths, found, names = index_directory(
        directory,
        labels,
        formats,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    _check_label_mode(labels, label_mode, names)
    if not paths:
        raise ValueError(
            f"No files found in directory {directory}. Allowed formats: "
            f"{formats}"
        )
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = [
        _subset_dataset(
            paths,
            found,
            names,
            part,
            validation_split,
            load,
            label_mode,
            shuffle,
            batch_size,
            seed,
        )
        for part in subsets
    ]
    return datasets if subset == "both" else datasets[0]


def _subset_dataset(
    paths,
    found,
    names,
    part,
    validation_split,
    load,
    label_mode,
    shuffle,
    batch_size,
    seed,
) -> Dataset:
    p, lab = _split(paths, found, validation_split, part)
    ds = Dataset(lambda: map(load, p), len(p))
    ds = _with_labels(ds, lab, label_mode, len(names or []))
    if shuffle:
        ds = ds.shuffle(batch_size * 8 if batch_size else 1024, seed)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    ds.class_names, ds.file_paths = names, list(p)
    return ds


def _as_slices(dataset: Any) -> tuple[list, Any]:
    """(elements, structure hint) of any dataset split_dataset takes."""
    if isinstance(dataset, (np.ndarray, torch.Tensor)):
        return [dataset[i] for i in range(len(dataset))], None
    if isinstance(dataset, (tuple, list, dict)) and all(
        hasattr(a, "__len__") and hasattr(a, "shape")
        for a in (dataset.values() if isinstance(dataset, dict) else dataset)
    ):
        return list(Dataset.from_tensor_slices(dataset)), None
    if isinstance(dataset, (list, tuple)):
        return list(dataset), None
    if isinstance(dataset, Dataset):
        return list(dataset), dataset
    if isinstance(dataset, torch.utils.data.Dataset):
        return [dataset[i] for i in range(len(dataset))], None
    raise TypeError(
        "Invalid value for argument `dataset` of split_dataset: expected a "
        "NumPy array or tensor, a tuple/dict of them, a list, a torch "
        f"Dataset or a lamina Dataset. Received: {type(dataset).__name__}"
    )


def _sizes(n: int, left_size, right_size) -> tuple[int, int]:
    def count(size, name):
        if size is None:
            return None
        if isinstance(size, float) and 0 < size < 1:
            return round(size * n)
        if isinstance(size, int) and 0 < size <= n:
            return size
        raise ValueError(
            f"Invalid value for argument `{name}` of split_dataset: expected "
            f"a float in (0, 1) or an int in [1, {n}] (the dataset has {n} "
            f"elements). Received: {name}={size!r}"
        )

    left, right = count(left_size, "left_size"), count(right_size, "right_size")
    if left is None and right is None:
        raise ValueError(
            "Invalid arguments to split_dataset: give `left_size`, "
            "`right_size` or both. Received: left_size=None, right_size=None"
        )
    left = n - right if left is None else left
    right = n - left if right is None else right
    if left + right > n:
        raise ValueError(
            "Invalid arguments to split_dataset: left_size + right_size = "
            f"{left + right} exceeds the {n} elements of the dataset"
        )
    return left, right


def split_dataset(
    dataset: Any,
    left_size: Any = None,
    right_size: Any = None,
    shuffle: bool = False,
    seed: Any = None,
    preferred_backend: Any = None,
) -> tuple:
    """Split a dataset into two lamina `Dataset`s of elements (unbatched,
    as Keras's are): sizes are element counts (int) or fractions (float).

    >>> import numpy as np
    >>> from lamina.utils import split_dataset
    >>> left, right = split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), [int(x) for x in right]
    (8, [8, 9])
    """
    if isinstance(dataset, Dataset) and dataset.cardinality() < 0:
        raise ValueError(
            "Invalid value for argument `dataset` of split_dataset: its size "
            "must be known and finite."
        )
    elements, _ = _as_slices(dataset)
    left, right = _sizes(len(elements), left_size, right_size)
    order = np.arange(len(elements))
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(order)
    parts = [order[:left], order[len(elements) - right :]]
    return tuple(
        Dataset(lambda idx=idx: (elements[i] for i in idx), len(idx))
        for idx in parts
    )
