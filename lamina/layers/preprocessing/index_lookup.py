"""`IndexLookup`: the vocabulary logic shared by `StringLookup` and
`IntegerLookup` (and `TextVectorization` through `StringLookup`).

The vocabulary is a Python list and a dict (token -> index); lookups run in
NumPy on the host, as Keras runs them in TensorFlow on the CPU, and the
result is a torch tensor. Index layout, as in Keras: `[mask]` (only in
`"int"` mode with a `mask_token`), then `num_oov_indices` OOV slots, then
the tokens. Files: an adapted vocabulary travels as the asset
`vocabulary.txt` (one token a line) beside the weights; a vocabulary passed
to the constructor travels in the config; `"tf_idf"` weights are stored
under the key `idf_weights`, where Keras stores them.
"""

from __future__ import annotations

import collections
import os
from typing import Any, cast

import numpy as np
import torch

from lamina.engine.layer import Layer, specs_from_shapes
from lamina.errors import invalid_argument
from lamina.layers.preprocessing import lookup_utils
from lamina.layers.preprocessing import lookup_vocabulary as vocab
from lamina.layers.preprocessing.category_encoding import encode_categorical

MODES = lookup_utils.MODES
ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}
VOCABULARY_FILE = "vocabulary.txt"


class IndexLookup(Layer):
    """Maps values from a vocabulary to integer indices (base class; use
    `StringLookup` or `IntegerLookup`)."""

    _is_string = True

    def __init__(
        self,
        max_tokens: int | None,
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary_dtype: str,
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        name: str | None = None,
        salt: Any = None,
        **kwargs: Any,
    ):
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_vocabulary = kwargs.pop(
            "has_input_vocabulary", vocabulary is not None
        )
        kwargs.pop("dtype", None)  # the output dtype follows output_mode
        super().__init__(name=name, **kwargs)
        output_mode = ALIASES.get(output_mode, output_mode)
        lookup_utils.check_arguments(
            type(self).__name__,
            max_tokens,
            num_oov_indices,
            output_mode,
            invert,
            sparse,
            idf_weights,
            pad_to_max_tokens,
            oov_method,
        )
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = invert
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = pad_to_max_tokens
        self.oov_method = oov_method
        self.salt = lookup_utils.check_salt(type(self).__name__, salt)
        self._frozen_vocab_size = frozen_size
        self._has_input_vocabulary = has_vocabulary
        self.input_vocabulary = (
            None
            if isinstance(vocabulary, str)
            else lookup_utils.listify(vocabulary)
        )
        self.input_idf_weights = lookup_utils.listify(idf_weights)
        self._tokens: list | None = None
        self._index: dict = {}
        self.idf_weights: Any = None
        self.reset_state()
        if (
            output_mode == "tf_idf"
            and has_vocabulary
            and vocabulary is not None
            and idf_weights is None
        ):
            raise ValueError(
                invalid_argument(
                    type(self).__name__,
                    "idf_weights",
                    "the weights of the "
                    "`vocabulary` when `output_mode='tf_idf'`",
                    idf_weights,
                )
            )
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.built = True

    # -- the vocabulary ----------------------------------------------------

    def _oov_start_index(self) -> int:
        return int(self.mask_token is not None and self.output_mode == "int")

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def _special_tokens(self) -> list:
        return [self.mask_token] * self._oov_start_index() + [
            self.oov_token
        ] * self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The vocabulary size, mask and OOV indices included."""
        return len(self._tokens or ()) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The vocabulary, index order; with `include_special_tokens`, a
        term's position is the index the layer maps it to."""
        tokens = list(self._tokens or ())
        return (
            self._special_tokens() + tokens
            if include_special_tokens
            else tokens
        )

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Set the vocabulary (a list, array or a text file path with one
        token a line) and, in `"tf_idf"` mode, its idf weights."""
        name = type(self).__name__
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(
                invalid_argument(
                    name,
                    "idf_weights",
                    "weights when `output_mode='tf_idf'`",
                    idf_weights,
                )
            )
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                invalid_argument(
                    name,
                    "idf_weights",
                    "None unless `output_mode='tf_idf'`",
                    idf_weights,
                )
            )
        if isinstance(vocabulary, str):
            vocabulary = self._read_vocabulary_file(vocabulary)
        tokens = list(
            self._to_array(lookup_utils.listify(vocabulary), "vocabulary")
            .reshape(-1)
            .tolist()
        )
        if not tokens:
            raise ValueError(
                invalid_argument(
                    name, "vocabulary", "a non-empty vocabulary", vocabulary
                )
            )
        start = self._token_start_index()
        found_special = tokens[:start] == self._special_tokens()
        if found_special:
            tokens = tokens[start:]
        self._check_tokens(tokens, vocabulary)
        size = start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                invalid_argument(
                    name,
                    "vocabulary",
                    f"at most max_tokens={self.max_tokens} "
                    "entries, special tokens included",
                    f"{size} entries",
                )
            )
        self._set_tokens(tokens)
        if idf_weights is not None:
            self._set_idf(
                np.asarray(idf_weights, np.float32), len(tokens), found_special
            )

    def _check_tokens(self, tokens: list, vocabulary: Any) -> None:
        specials = [("mask_token", self.mask_token)]
        if self.invert:  # the OOV token is an output only when inverting
            specials.append(("oov_token", self.oov_token))
        vocab.check_tokens(
            type(self).__name__,
            tokens,
            vocabulary,
            specials,
            self._special_tokens(),
        )

    def _set_tokens(self, tokens: list) -> None:
        start = self._token_start_index()
        self._tokens = tokens
        self._index = {t: i + start for i, t in enumerate(tokens)}
        if not self._is_string:
            keys = np.asarray(tokens, np.int64)
            order = np.argsort(keys, kind="stable")
            self._sorted_keys = keys[order]
            self._sorted_values = order.astype(np.int64) + start
        self._frozen_vocab_size = self.vocabulary_size()

    def _set_idf(
        self, weights: np.ndarray, count: int, found_special: bool
    ) -> None:
        start = self._token_start_index()
        padded = self.pad_to_max_tokens and self.max_tokens is not None
        self.idf_weights = vocab.idf_in_index_order(
            type(self).__name__,
            weights,
            count + (start if found_special else 0),
            0 if found_special else start,
            self.max_tokens if padded else None,
        )

    def _read_vocabulary_file(self, path: str) -> list:
        return vocab.read_vocabulary_file(
            type(self).__name__, path, self._is_string
        )

    # -- adapt -------------------------------------------------------------

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learn the vocabulary (and in `"tf_idf"` mode the document
        frequencies) from `data`: a list, NumPy array or tensor (each row
        a document; a 1-D list holds one token per document), or any other
        iterable of batches (at most `steps` of them)."""
        self.reset_state()
        if lookup_utils.is_batch(data):
            array = self._to_array(data, "data")
            self.update_state(
                array.reshape(-1, 1) if array.ndim == 1 else array
            )
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        array = (
            data
            if isinstance(data, np.ndarray)
            and data.dtype == object
            and self._is_string
            else self._to_array(data, "data")
        )
        self._update_rows(lookup_utils.document_rows(array))

    def _update_rows(self, rows: list) -> None:
        """Count the tokens of `rows` (lists of tokens, one per document)."""
        if self._has_input_vocabulary:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': cannot adapt a layer "
                "whose vocabulary was set with the `vocabulary` argument or "
                "`set_vocabulary()`."
            )
        tf_idf = self.output_mode == "tf_idf"
        self._num_documents += lookup_utils.count_tokens(
            self._token_counts, self._document_counts if tf_idf else None, rows
        )

    def finalize_state(self) -> None:
        if self._has_input_vocabulary or not self._token_counts:
            return
        counts = self._token_counts
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        limit = (
            None
            if not self.max_tokens
            else self.max_tokens - self._token_start_index()
        )
        tokens = lookup_utils.sorted_vocabulary(counts, limit)
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            frequency = np.array([self._document_counts[t] for t in tokens])
            idf = lookup_utils.inverse_document_frequency(
                frequency, self._num_documents
            )
            self._set_idf(idf, len(tokens), found_special=False)
            # Keras pads the front with the float32 mean of the weights.
            self.idf_weights[: self._token_start_index()] = np.float32(
                np.mean(idf, dtype=np.float32)
            )
        self.reset_state()

    def reset_state(self) -> None:
        self._token_counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._num_documents = 0

    # -- the call ----------------------------------------------------------

    def _convert_inputs(self, args: tuple) -> tuple:
        return args  # raw strings and lists are converted by `call`

    def call(self, inputs: Any) -> Any:
        device = inputs.device if isinstance(inputs, torch.Tensor) else None
        self._check_ready(self)
        array = self._to_array(inputs, "inputs")
        if self.invert:
            return self._invert(array, device)
        indices = torch.from_numpy(self._lookup(array.reshape(-1)))
        return self._encode(indices.reshape(array.shape).to(device))

    def _encode(self, indices: torch.Tensor) -> torch.Tensor:
        """The output for looked-up `indices` (-1: dropped)."""
        if self.output_mode == "int":
            return indices
        depth = self._depth()
        # float32, the dtype Keras declares (`compute_output_spec`) and the
        # next layer computes in; Keras's TensorFlow lookup hands back int64
        # one/multi-hot and counts, with the same values.
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode_categorical(indices, mode, depth, torch.float32)
        if self.output_mode != "tf_idf":
            return out
        return out * torch.from_numpy(self.idf_weights).to(out.device)

    def _check_ready(self, owner) -> None:
        if self._tokens is None:
            raise ValueError(
                f"{type(owner).__name__} '{owner.name}' has no vocabulary: "
                "pass `vocabulary=` to the constructor, or call `adapt(data)`"
                " before calling the layer."
            )

    def _depth(self) -> int:
        if self.pad_to_max_tokens:  # then an int (`check_arguments`)
            return cast(int, self.max_tokens)
        return self._frozen_vocab_size

    def _lookup(self, flat: np.ndarray) -> np.ndarray:
        """Index of every value; -1 marks a mask token outside `"int"`
        mode (dropped by the encodings)."""
        if self._is_string:
            get = self._index.get
            found = np.fromiter(
                (get(v, -1) for v in flat), np.int64, count=len(flat)
            )
        else:
            found = (
                lookup_utils.sorted_lookup(
                    self._sorted_keys, self._sorted_values, flat
                )
                if self._tokens
                else np.full(len(flat), -1, np.int64)
            )
        missing = found < 0
        if self.mask_token is not None:
            masked = flat == self.mask_token
            missing &= ~masked
            found[masked] = 0 if self.output_mode == "int" else -1
        if missing.any():
            found[missing] = self._oov_indices(flat[missing])
        return found

    def _oov_indices(self, values: np.ndarray) -> np.ndarray:
        if self.num_oov_indices == 0:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': with "
                "`num_oov_indices=0` all inputs must be in the vocabulary; "
                f"found OOV values {values[:10].tolist()}. Consider setting "
                "`num_oov_indices=1`."
            )
        start = self._oov_start_index()
        if self.num_oov_indices == 1:
            return np.full(len(values), start, np.int64)
        return start + lookup_utils.oov_buckets(
            values,
            self.num_oov_indices,
            self._is_string,
            self.oov_method,
            self.salt,
        )

    def _invert(self, array: np.ndarray, device):
        indices = lookup_utils.integer_array(type(self).__name__, array)
        vocabulary = self.get_vocabulary()
        start = self._token_start_index()
        table = np.empty(len(vocabulary), dtype=object)
        table[:] = vocabulary
        table[self._oov_start_index() : start] = self.oov_token
        inside = (indices >= 0) & (indices < len(table))
        out = np.full(indices.shape, self.oov_token, dtype=object)
        out[inside] = table[indices[inside]]
        if self.mask_token is not None:
            out[indices == 0] = self.mask_token
        if self._is_string:
            return out.tolist()
        return torch.from_numpy(out.astype(np.int64)).to(device)

    # -- shapes, config and files -----------------------------------------

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        depth = self._depth()
        if self.output_mode == "one_hot":
            if len(shape) > 1 and shape[-1] == 1:
                return shape[:-1] + (depth,)
            return shape + (depth,)
        return shape[:-1] + (depth,)

    def compute_output_spec(self, inputs: Any) -> Any:
        dtype = "int64" if self.output_mode == "int" else "float32"
        if self.invert and self._is_string:
            dtype = "string"
        return specs_from_shapes(self.compute_output_shape(inputs.shape), dtype)

    def get_config(self) -> dict:
        base = super().get_config()
        base["dtype"] = {
            "module": "keras",
            "class_name": "DTypePolicy",
            "config": {"name": "float32"},
            "registered_name": None,
        }  # Keras keeps the default float policy in a lookup's config
        return {
            **base,
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": self.input_idf_weights,
            "vocabulary": self.input_vocabulary,
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }

    def get_build_config(self) -> dict:
        return {}

    def build_from_config(self, config: dict) -> None:
        self.built = True

    def save_own_variables(self, store: dict) -> None:
        if self.output_mode == "tf_idf":
            store["idf_weights"] = self.idf_weights

    def load_own_variables(self, store: dict) -> None:
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"], np.float32)

    def save_assets(self, dir_path: str) -> None:
        if self.input_vocabulary is not None:
            return  # the vocabulary is in the config
        with open(
            os.path.join(dir_path, VOCABULARY_FILE), "w", encoding="utf-8"
        ) as f:
            f.write("\n".join(str(t) for t in self.get_vocabulary()))

    def load_assets(self, dir_path: str) -> None:
        if self.input_vocabulary is not None:
            return
        values = self._read_vocabulary_file(
            os.path.join(dir_path, VOCABULARY_FILE)
        )
        # tf_idf: the stored weights may be padded to `max_tokens`.
        tf_idf = self.output_mode == "tf_idf"
        weights = self.idf_weights[: len(values)] if tf_idf else None
        self.set_vocabulary(values, idf_weights=weights)

    def extra_repr(self) -> str:
        return (
            f"name={self.name}, output_mode={self.output_mode!r}, "
            f"vocabulary_size={self.vocabulary_size()}"
        )
