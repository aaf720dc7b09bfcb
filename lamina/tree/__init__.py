"""`keras.tree`: utilities for nested structures (lists, tuples,
namedtuples, dicts). The implementation lives in `lamina.utils.tree`."""

from lamina.utils.tree import MAP_TO_NONE as MAP_TO_NONE
from lamina.utils.tree import assert_same_paths as assert_same_paths
from lamina.utils.tree import assert_same_structure as assert_same_structure
from lamina.utils.tree import flatten as flatten
from lamina.utils.tree import flatten_with_path as flatten_with_path
from lamina.utils.tree import is_nested as is_nested
from lamina.utils.tree import lists_to_tuples as lists_to_tuples
from lamina.utils.tree import map_shape_structure as map_shape_structure
from lamina.utils.tree import map_structure as map_structure
from lamina.utils.tree import map_structure_up_to as map_structure_up_to
from lamina.utils.tree import pack_sequence_as as pack_sequence_as
from lamina.utils.tree import traverse as traverse

__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "traverse",
]
