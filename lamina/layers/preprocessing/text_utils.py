"""The text steps of `TextVectorization`, as TensorFlow's string ops do
them (so that vocabularies and indices equal Keras's):

- `"lower"`: `tf.strings.lower` without an encoding lowercases ASCII
  letters only (`"É"` stays `"É"`);
- `"strip_punctuation"`: deletes the characters of Keras's regex
  ``[!"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~\\']``;
- `"whitespace"`: `tf.strings.split` splits on runs of ASCII whitespace
  (space, \\t, \\n, \\v, \\f, \\r) and drops empty pieces;
- `"character"`: one token per Unicode code point;
- ngrams: `tf.strings.ngrams` joins each width's windows with a space,
  all windows of the first width first.
"""

from __future__ import annotations

import re

import numpy as np

_LOWER = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
)
_STRIP = str.maketrans("", "", "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'")
_TOKEN = re.compile(r"[^ \t\n\v\f\r]+")


def standardize(strings: list, mode) -> list:
    """Apply a built-in standardization to a list of strings."""
    if mode in ("lower", "lower_and_strip_punctuation"):
        strings = [s.translate(_LOWER) for s in strings]
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        strings = [s.translate(_STRIP) for s in strings]
    return strings


def split(strings: list, mode) -> list:
    """Tokens of each string: a list of lists."""
    if mode == "whitespace":
        return [_TOKEN.findall(s) for s in strings]
    return [list(s) for s in strings]


def ngrams(rows: list, widths: tuple) -> list:
    """All `width`-grams of each row, width by width."""
    out = []
    for row in rows:
        grams = []
        for width in widths:
            grams.extend(
                " ".join(row[i : i + width])
                for i in range(len(row) - width + 1)
            )
        out.append(grams)
    return out


def rows_of(value) -> list:
    """A callable's result (array, nested list) as a list of lists of
    `str`."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return [
        [
            t.decode("utf-8") if isinstance(t, bytes) else str(t)
            for t in (row.tolist() if isinstance(row, np.ndarray) else row)
        ]
        for row in value
    ]
