"""lamina.tree against keras.tree (torch backend) on many structures."""

import collections
import importlib
import timeit

import numpy as np
import pytest
import torch

import lamina
from lamina import tree
from tests.keras_oracle import keras

# Keras's documented order sorts the keys of every dict at every depth.
# Its optree implementation (Keras's tree on JAX/TF) does; `keras.tree` on
# the torch backend sorts only the outermost dict of a dict-in-dict (see
# test_nested_dicts_sorted_at_every_depth), so the optree implementation
# is the oracle for ordering, and keras.tree (torch) for everything else.
ordering_oracle = importlib.import_module("keras.src.tree.optree_impl")

NT = collections.namedtuple("NT", ["a", "b"])
NT2 = collections.namedtuple("NT2", ["a", "b"])
OD = collections.OrderedDict
DD = collections.defaultdict

STRUCTURES = [
    None,
    1,
    "text",
    b"bytes",
    {1, 2},
    np.arange(3),
    torch.ones(2),
    [],
    (),
    {},
    [[]],
    [1, None],
    (None,),
    {"a": None},
    [[1, 2, 3], [4, [5], [[6]]]],
    {"b": 1, "a": [2, 3], "c": {"z": 4, "y": (5, 6)}},
    {100: "world", 6: "hello"},
    OD([("b", 1), ("a", 2)]),
    {"x": OD([("d", 4), ("c", 3)]), "w": [OD(q=1)]},
    NT(1, [2, 3]),
    [NT(a={"k": 1}, b=None), (NT(2, 3),)],
    DD(list, {"z": 1, "y": [2]}),
    collections.deque([1, [2, 3]]),
    [np.zeros(2), (3,), {"t": torch.zeros(1)}],
    torch.max(torch.tensor([[1.0, 3.0], [2.0, 0.0]]), dim=0),
]


def _ids(s):
    return repr(s)[:30]


@pytest.mark.parametrize("s", STRUCTURES, ids=_ids)
def test_flatten_and_is_nested_match_keras(s):
    assert tree.is_nested(s) == keras.tree.is_nested(s)
    got, want = tree.flatten(s), ordering_oracle.flatten(s)
    assert len(got) == len(want)
    assert all(a is b for a, b in zip(got, want))


@pytest.mark.parametrize("s", STRUCTURES, ids=_ids)
def test_flatten_with_path_matches_keras(s):
    got = tree.flatten_with_path(s)
    want = ordering_oracle.flatten_with_path(s)
    assert all(a is b for (_, a), (_, b) in zip(got, want))
    assert [p for p, _ in got] == [p for p, _ in want]


def _same(a, b):
    """Equal values, equal types, and equal dict key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple, collections.deque)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, torch.Tensor)):
        return a is b
    return a == b


@pytest.mark.parametrize("s", STRUCTURES, ids=_ids)
def test_pack_map_traverse_match_keras(s):
    flat = list(range(len(keras.tree.flatten(s))))
    assert _same(
        tree.pack_sequence_as(s, flat),
        ordering_oracle.pack_sequence_as(s, flat),
    )

    def f(x):
        return ("leaf", x) if isinstance(x, int) else x

    assert _same(tree.map_structure(f, s), keras.tree.map_structure(f, s))
    assert _same(tree.lists_to_tuples(s), ordering_oracle.lists_to_tuples(s))
    seen, want = [], []
    tree.traverse(lambda x: seen.append(x) and None, s, top_down=False)
    ordering_oracle.traverse(
        lambda x: want.append(x) and None, s, top_down=False
    )
    assert len(seen) == len(want)
    assert all(_same(a, b) for a, b in zip(seen, want))


def test_nested_dicts_sorted_at_every_depth():
    s = {"b": 1, "c": {"z": 4, "y": 5}}
    assert tree.flatten(s) == [1, 5, 4]
    assert ordering_oracle.flatten(s) == [1, 5, 4]
    # keras.tree on torch leaves the inner dict in insertion order.
    assert keras.tree.flatten(s) == [1, 4, 5]


def test_map_structure_several_structures_and_none():
    a = {"b": [1, 2], "a": 3}
    b = OD([("a", 30), ("b", [10, 20])])
    for fn in (lambda x, y: x + y,):
        assert _same(
            tree.map_structure(fn, a, b), keras.tree.map_structure(fn, a, b)
        )
    deeper = ([1, 2], [3, [4]])
    assert tree.map_structure(lambda x, y: (x, y), *deeper) == (
        keras.tree.map_structure(lambda x, y: (x, y), *deeper)
    )
    s = [None, 2, {"a": None}]
    for leaf in (True, False):
        assert tree.map_structure(lambda x: 7, s, none_is_leaf=leaf) == (
            keras.tree.map_structure(lambda x: 7, s, none_is_leaf=leaf)
        )
    with pytest.raises(ValueError, match="some arguments are None"):
        tree.map_structure(lambda x, y: x, [None], [1], none_is_leaf=False)
    with pytest.raises(ValueError, match="at least one structure"):
        tree.map_structure(len)


def test_map_structure_up_to_and_shapes_match_keras():
    args = ([0, {"k": 0}], len, [[1, 2], {"k": (3,)}])
    assert tree.map_structure_up_to(*args) == (
        keras.tree.map_structure_up_to(*args)
    )
    s = {"b": [(None, 3), (4,)], "a": (1, 2), "c": ()}
    got = tree.map_shape_structure(lambda x: ("shape", x), s)
    assert _same(
        got, ordering_oracle.map_shape_structure(lambda x: ("shape", x), s)
    )


def test_traverse_matches_keras():
    s = {"b": [1, 2], "a": (3, [1])}

    def top(x):
        return tree.MAP_TO_NONE if x == 1 else None

    def ktop(x):
        return keras.tree.MAP_TO_NONE if x == 1 else None

    assert _same(tree.traverse(top, s), ordering_oracle.traverse(ktop, s))

    def bottom(x):
        return "L" if isinstance(x, list) else None

    assert _same(
        tree.traverse(bottom, s, top_down=False),
        ordering_oracle.traverse(bottom, s, top_down=False),
    )


PAIRS = [
    ([1, 2], [3, 4]),
    ([1, 2], [3]),
    ([1, [2]], [1, 2]),
    ([1, 2], [1, [2]]),
    ({"a": 1}, {"b": 1}),
    ((1,), [1]),
    (NT(1, 2), (1, 2)),
    (NT(1, 2), NT2(1, 2)),
    (None, 1),
    (OD(a=1), {"a": 1}),
    (DD(list, a=1), OD(a=2)),
    ([1], collections.deque([1])),
    ({"a": 1, "b": 2}, {"b": 3, "a": 4}),
]


@pytest.mark.parametrize("a,b", PAIRS, ids=_ids)
def test_assert_same_structure_and_paths_match_keras(a, b):
    def outcome(fn):
        try:
            fn(a, b)
            return "same"
        except ValueError:
            return "different"

    assert outcome(tree.assert_same_structure) == outcome(
        keras.tree.assert_same_structure
    )
    assert outcome(tree.assert_same_paths) == outcome(
        keras.tree.assert_same_paths
    )


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="lengths differ: 2 vs 1"):
        tree.assert_same_structure([1, 2], [3])
    with pytest.raises(ValueError, match="expected a list, got tuple"):
        tree.assert_same_structure([1], (1,))
    with pytest.raises(ValueError, match="dict keys differ"):
        tree.map_structure(lambda x, y: x, {"a": 1}, {"b": 1})
    with pytest.raises(ValueError, match="Paths in `a` missing in `b`"):
        tree.assert_same_paths({"a": 1}, {"b": 1})
    with pytest.raises(ValueError, match="expected 2 items.*Received: 3"):
        tree.pack_sequence_as([0, 0], [1, 2, 3])
    with pytest.raises(TypeError, match="dict keys must be sortable"):
        tree.flatten({1: 0, "a": 1})
    with pytest.warns(UserWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)


def test_public_namespace_is_one_home():
    assert lamina.tree.flatten is lamina.utils.tree.flatten
    assert sorted(n for n in dir(keras.tree) if not n.startswith("_")) == (
        sorted(lamina.tree.__all__)
    )


def test_speed_against_torch_pytree():
    """The reason lamina keeps a pure-Python tree (see the module
    docstring): on a training step's structures it is faster than torch's
    `_pytree`, which Keras uses on torch."""
    from torch.utils import _pytree

    batch = ({"image": 1, "mask": 2}, [3, 4], None)
    ours = min(
        timeit.repeat(lambda: tree.flatten(batch), number=2000, repeat=5)
    )
    theirs = min(
        timeit.repeat(
            lambda: _pytree.tree_flatten(batch), number=2000, repeat=5
        )
    )
    assert ours < theirs
