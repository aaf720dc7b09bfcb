"""`TextVectorization`: standardize, split, ngram and look up text."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch

from lamina.engine.layer import Layer, specs_from_shapes
from lamina.layers.preprocessing import lookup_utils, text_utils
from lamina.layers.preprocessing.index_lookup import ALIASES
from lamina.layers.preprocessing.string_lookup import StringLookup
from lamina.layers.preprocessing.text_vectorization_checks import (
    SPLIT as SPLIT,
    STANDARDIZE as STANDARDIZE,
    check_arguments,
)


class TextVectorization(Layer):
    """A preprocessing layer which maps text features to integer sequences.

    Each string is standardized, split into tokens, optionally combined
    into ngrams, and looked up in a vocabulary (given, or learned with
    `adapt()`), exactly as Keras does it with TensorFlow's string ops (see
    `text_utils`): index 0 is padding (the `""` mask token), 1 is OOV.

    Args:
        max_tokens: the largest vocabulary, padding and OOV included.
        standardize: None, `"lower_and_strip_punctuation"`, `"lower"`,
            `"strip_punctuation"` or a callable taking and returning a
            NumPy array of `str`.
        split: None, `"whitespace"`, `"character"` or a callable taking a
            1-D NumPy array of `str` and returning a list of token lists.
        ngrams: None, an int `n` (all 1..n-grams) or a tuple of widths.
        output_mode: `"int"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        output_sequence_length: in `"int"` mode, pad or cut every sequence
            to this length (otherwise to the batch's longest).
        pad_to_max_tokens: encode to `max_tokens` columns.
        vocabulary: a list of terms or a text file path.
        idf_weights: the idf weights of `vocabulary` in `"tf_idf"` mode.
        sparse: must be False (no sparse outputs on torch).
        ragged: must be False (no ragged tensors on torch).
        encoding: the text encoding of `bytes` inputs.

    Input shape:
        A string, a list of strings, or a `(batch,)` / `(batch, 1)` array.

    Output shape:
        `(batch, sequence_length)` int64 in `"int"` mode, else
        `(batch, vocabulary_size)` float32 (Keras declares float32 there;
        its TensorFlow lookup returns int64 counts of the same values).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.TextVectorization(
    ...     max_tokens=5000, output_sequence_length=4)
    >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    >>> layer([["foo qux bar"], ["qux baz"]]).tolist()
    [[4, 1, 3, 0], [1, 2, 0, 0]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        standardize: str | Callable | None = "lower_and_strip_punctuation",
        split: str | Callable | None = "whitespace",
        ngrams: int | tuple[int, ...] | None = None,
        output_mode: str = "int",
        output_sequence_length: int | None = None,
        pad_to_max_tokens: bool = False,
        vocabulary: Any = None,
        idf_weights: Any = None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        **kwargs: Any,
    ):
        output_mode = ALIASES.get(output_mode, output_mode)
        check_arguments(
            standardize,
            split,
            ngrams,
            output_mode,
            output_sequence_length,
            sparse,
            ragged,
        )
        has_vocabulary = kwargs.pop(
            "has_input_vocabulary", vocabulary is not None
        )
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = (
            tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        )
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._ragged = False
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            encoding=encoding,
            has_input_vocabulary=has_vocabulary,
            vocabulary_size=vocabulary_size,
        )
        self.built = True

    # -- text to tokens ----------------------------------------------------

    def _strings(self, inputs) -> np.ndarray:
        owner = f"{type(self).__name__} '{self.name}'"
        return lookup_utils.string_array(owner, inputs, self._encoding)

    def _preprocess(self, inputs):
        """Token rows (a list of lists), or the standardized string array
        when `split` is None."""
        array = self._standardized(inputs)
        if self._split is None:
            return array
        strings = self._split_input(array).reshape(-1).tolist()
        rows = (
            text_utils.rows_of(self._split(np.asarray(strings, dtype=str)))
            if callable(self._split)
            else text_utils.split(strings, self._split)
        )
        if self._ngrams is not None:
            rows = text_utils.ngrams(rows, self._ngrams)
        return rows

    def _standardized(self, inputs) -> np.ndarray:
        array = self._strings(inputs)
        if callable(self._standardize):
            array = np.asarray(
                self._standardize(array.astype(str)), dtype=object
            )
        elif self._standardize is not None:
            array = _object_array(
                text_utils.standardize(
                    array.reshape(-1).tolist(), self._standardize
                ),
                array.shape,
            )
        return array

    def _split_input(self, array: np.ndarray) -> np.ndarray:
        if array.ndim > 1:
            if array.shape[-1] != 1:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': to split strings,"
                    " the input must have rank 1 or a last axis of size 1. "
                    f"Received: inputs with shape {array.shape}"
                )
            array = array.reshape(array.shape[:-1])
        return array

    # -- adapt -------------------------------------------------------------

    def adapt(
        self, data: Any, batch_size: int | None = None, steps: int | None = None
    ) -> None:
        """Learn the vocabulary from `data`: a list or array of strings
        (one document each), or an iterable of batches (at most `steps`)."""
        self.reset_state()
        if lookup_utils.is_batch(data):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        if self._counts_only():
            strings = self._split_input(self._standardized(data))
            text = " ".join(strings.reshape(-1).tolist())
            if text_utils.plain_whitespace([text]):
                # One split of the whole batch: only the counts matter.
                self._lookup_layer._update_rows([text.split()])
                return
        tokens = self._preprocess(data)
        if isinstance(tokens, np.ndarray):
            tokens = lookup_utils.document_rows(
                tokens.reshape(-1, 1) if tokens.ndim == 1 else tokens
            )
        self._lookup_layer._update_rows(tokens)

    def _counts_only(self) -> bool:
        return (
            self._split == "whitespace"
            and self._ngrams is None
            and self._output_mode != "tf_idf"
        )

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The vocabulary, padding `""` and OOV `"[UNK]"` first."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Set the vocabulary (and idf weights in `"tf_idf"` mode)."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    # -- the call ----------------------------------------------------------

    def _convert_inputs(self, args: tuple) -> tuple:
        return args  # strings are converted by `call`

    def call(self, inputs: Any) -> torch.Tensor:
        lookup = self._lookup_layer
        lookup._check_ready(self)
        tokens = self._preprocess(inputs)
        if isinstance(tokens, np.ndarray):
            out = lookup(tokens)
            return self._fit_length(out) if self._output_mode == "int" else out
        lengths = [len(row) for row in tokens]
        flat = _object_array(
            [t for row in tokens for t in row], (sum(lengths),)
        )
        found = torch.from_numpy(lookup._lookup(flat))
        width = max(lengths, default=0)
        if (
            self._output_mode == "int"
            and self._output_sequence_length is not None
        ):
            width = self._output_sequence_length
        fill = 0 if self._output_mode == "int" else -1
        if fill:  # an encoding reduces the token axis: keep one column
            width = max(width, 1)
        padded = torch.full((len(tokens), width), fill, dtype=torch.int64)
        starts = np.cumsum([0] + lengths[:-1])
        for row, (start, length) in enumerate(zip(starts, lengths)):
            keep = min(length, width)
            padded[row, :keep] = found[start : start + keep]
        return lookup._encode(padded)

    def _fit_length(self, out: torch.Tensor) -> torch.Tensor:
        length = self._output_sequence_length
        if length is None or out.ndim == 0:
            return out
        out = out[..., :length]
        pad = length - out.shape[-1]
        return torch.nn.functional.pad(out, (0, pad)) if pad > 0 else out

    # -- shapes, config and files -----------------------------------------

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        depth = self._lookup_layer._depth()
        return (input_shape[0], depth)

    def compute_output_spec(self, inputs: Any) -> Any:
        dtype = "int64" if self._output_mode == "int" else "float32"
        return specs_from_shapes(self.compute_output_shape(inputs.shape), dtype)

    def get_config(self) -> dict:
        from lamina.saving.serialization import serialize_keras_object

        lookup = self._lookup_layer
        config = super().get_config()
        config["dtype"] = lookup.get_config()["dtype"]
        return {
            **config,
            "max_tokens": lookup.max_tokens,
            "standardize": _serialize(
                self._standardize, serialize_keras_object
            ),
            "split": _serialize(self._split, serialize_keras_object),
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": False,
            "ragged": False,
            "vocabulary": lookup.input_vocabulary,
            "idf_weights": lookup.input_idf_weights,
            "encoding": self._encoding,
            "vocabulary_size": lookup._frozen_vocab_size,
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> TextVectorization:
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def get_build_config(self) -> dict:
        return {}

    def build_from_config(self, config: dict) -> None:
        self.built = True

    def save_own_variables(self, store: dict) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store: dict) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path: str) -> None:
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        self._lookup_layer.load_assets(dir_path)

    def extra_repr(self) -> str:
        return (
            f"name={self.name}, output_mode={self._output_mode!r}, "
            f"vocabulary_size={self.vocabulary_size()}"
        )


def _object_array(values: list, shape: tuple) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out.reshape(shape)


def _serialize(value, serialize):
    return (
        value if value is None or isinstance(value, str) else serialize(value)
    )
