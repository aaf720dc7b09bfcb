"""Unique auto names: `dense`, `dense_1`, ... as Keras gives them."""

from __future__ import annotations

import re
import threading
from collections import defaultdict

_counts: dict[str, int] = defaultdict(int)
# Layers may be made in several threads at once: a read-then-increment
# without the lock could give two of them the same name.
_lock = threading.Lock()


def to_snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


# Keras classes exported under another name: Keras's default layer names
# and `.keras` file paths come from the Python class (`GroupedQueryAttention`),
# configs from the exported name (`GroupQueryAttention`, lamina's class).
_KERAS_CLASS_NAMES = {"GroupQueryAttention": "GroupedQueryAttention"}


def class_key(class_name: str) -> str:
    """Keras's snake-cased key of a class, by its exported name: the
    prefix of default layer names and of `.keras` file paths.

    >>> class_key("GroupQueryAttention"), class_key("Dense")
    ('grouped_query_attention', 'dense')
    """
    return to_snake_case(_KERAS_CLASS_NAMES.get(class_name, class_name))


def auto_name(prefix: str) -> str:
    """`prefix`, then `prefix_1`, `prefix_2`, ... for each new object."""
    with _lock:
        count = _counts[prefix]
        _counts[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def get_uid(prefix: str = "") -> int:
    """The next number for `prefix`: 1, 2, ... It shares the counter with
    layer names, as in Keras (after two `get_uid("dense")`, the next
    `Dense` is named `dense_2`)."""
    with _lock:
        _counts[prefix] += 1
        return _counts[prefix]


def reset_names() -> None:
    """Forget all issued names (`lamina.utils.clear_session`)."""
    with _lock:
        _counts.clear()
