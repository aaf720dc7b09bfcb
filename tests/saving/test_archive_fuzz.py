"""Fuzzing `load_model` with damaged and hostile archives.

Each example mutates a small valid archive, by bytes (flip, truncate,
insert, overwrite) or by structure (edit a JSON value or its type, drop,
rename or duplicate members, reshape, retype or drop weights datasets),
then loads it. The contract checked:

- `load_model` either returns a model or raises `ValueError` or `OSError`
  (the documented errors), nothing else;
- each load finishes within `LOAD_TIMEOUT` seconds;
- nothing is written: the working folder (a fresh temporary folder) and
  the archive's folder are unchanged.

`LAMINA_FUZZ_EXAMPLES` raises the number of examples per test (default
80, under 30 s in all on a 2-core machine); the examples are derandomized,
so a run is reproducible.
"""

import functools
import io
import json
import os
import shutil
import signal
import tempfile
import warnings
import zipfile

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lamina

EXAMPLES = int(os.environ.get("LAMINA_FUZZ_EXAMPLES", "80"))
LOAD_TIMEOUT = 20.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
DOCUMENTED = (ValueError, OSError)
_MEMBERS = ("metadata.json", "config.json", "model.weights.h5")


class LoadHung(BaseException):
    """Raised by the alarm; a BaseException so no handler swallows it."""


def _alarm(signum, frame):
    raise LoadHung(f"load_model ran longer than {LOAD_TIMEOUT} s")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@functools.lru_cache(maxsize=1)
def valid_members():
    """The members of a small trained, compiled model's archive (built
    once; kept out of the test arguments so failures print short)."""
    model = lamina.Sequential(
        [
            lamina.Input((3,)),
            lamina.layers.Dense(4, activation="relu"),
            lamina.layers.Dense(2),
        ],
        name="fuzzed",
    )
    model.compile(
        optimizer=lamina.optimizers.SGD(0.1, momentum=0.9),
        loss="mse",
        metrics=["mae"],
    )
    model.fit(
        np.ones((4, 3), "float32"),
        np.ones((4, 2), "float32"),
        epochs=1,
        verbose=0,
    )
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "valid.keras")
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        members = tuple(
            (i.filename, zf.read(i.filename)) for i in zf.infolist()
        )
    shutil.rmtree(folder)
    return members


def _zip(members):
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are on purpose
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, data in members:
                zf.writestr(name, data)
    return buffer.getvalue()


def _tree(folder):
    return sorted(
        (
            os.path.relpath(os.path.join(root, name), folder),
            os.path.getsize(os.path.join(root, name)),
        )
        for root, _, files in os.walk(folder)
        for name in files
    )


def check_load(folder, data):
    """Load `data` as an archive in `folder` under the contract above."""
    path = os.path.join(folder, "case.keras")
    with open(path, "wb") as f:
        f.write(data)
    before = _tree(folder)
    cwd = os.getcwd()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, LOAD_TIMEOUT)
    try:
        os.chdir(folder)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lamina.models.load_model(path)
    except DOCUMENTED as error:
        assert str(error), "an error without a message"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(cwd)
    assert _tree(folder) == before, "load_model wrote files"


# -- byte mutations -----------------------------------------------------------

_POSITION = st.floats(0, 1, allow_nan=False)
_BYTE_OPS = st.one_of(
    st.tuples(st.just("flip"), _POSITION, st.integers(0, 7)),
    st.tuples(st.just("truncate"), _POSITION),
    st.tuples(st.just("insert"), _POSITION, st.binary(min_size=1, max_size=16)),
    st.tuples(
        st.just("overwrite"), _POSITION, st.binary(min_size=1, max_size=64)
    ),
)


def _mutate_bytes(data, ops):
    data = bytearray(data)
    for op in ops:
        at = min(int(op[1] * len(data)), max(len(data) - 1, 0))
        if op[0] == "flip" and data:
            data[at] ^= 1 << op[2]
        elif op[0] == "truncate":
            del data[at:]
        elif op[0] == "insert":
            data[at:at] = op[2]
        elif op[0] == "overwrite":
            data[at : at + len(op[2])] = op[2]
    return bytes(data)


@FUZZ
@given(
    target=st.sampled_from(["archive", *_MEMBERS]),
    ops=st.lists(_BYTE_OPS, min_size=1, max_size=4),
)
def test_byte_mutations(workdir, target, ops):
    """Damage the zip itself, or one member inside an intact zip (whose
    checksums then hold, so the damage reaches the member's parser)."""
    if target == "archive":
        data = _mutate_bytes(_zip(valid_members()), ops)
    else:
        data = _zip(
            [
                (name, _mutate_bytes(body, ops) if name == target else body)
                for name, body in valid_members()
            ]
        )
    check_load(str(workdir), data)


# -- structured mutations -----------------------------------------------------

_WORDS = st.sampled_from(
    [
        "",
        "relu",
        "Dense",
        "Sequential",
        "Functional",
        "keras",
        "keras.layers",
        "os",
        "system",
        "builtins",
        "eval",
        "__lambda__",
        "__numpy__",
        "__tensor__",
        "function",
        "class_name",
        "config",
        "../x",
        "float64",
        "int8",
        "string",
        "mixed_float16",
        "same",
        "channels_first",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 70),
    st.sampled_from([2**31, 10**9, -(2**63), 2**64]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    _WORDS,
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(_WORDS, st.text(max_size=4)), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


def _paths(value, prefix=()):
    """Every path to a node of a JSON value (the root first)."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, prefix + (key,)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(_paths(item, prefix + (i,)))
    return out


def _edit_json(value, pick, new, delete):
    """Replace (or delete) one node, chosen uniformly among all nodes so
    that most edits land deep inside layer configs."""
    paths = _paths(value)
    path = paths[pick % len(paths)]
    if not path:
        return new
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return value


def _edit_h5(data, choice, index):
    """Rewrite the weights file with one dataset reshaped, retyped,
    removed or added."""
    source = h5py.File(io.BytesIO(data), "r")
    names = []
    source.visititems(
        lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None
    )
    target_name = names[index % len(names)]
    buffer = io.BytesIO()
    with source, h5py.File(buffer, "w") as out:
        for name in names:
            value = source[name][()]
            if name == target_name:
                if choice == "drop":
                    continue
                value = {
                    "transpose": np.asarray(value).T.reshape(-1),
                    "grow": np.zeros(np.shape(value) + (2,)),
                    "int": np.asarray(value).astype("int64"),
                    "text": np.array([b"w"] * 2),
                    "scalar": np.float32(7),
                }[choice]
            out.create_dataset(name, data=value)
        if choice == "grow" and "layers/extra" not in out:
            out.create_dataset("layers/extra/vars/0", data=np.ones(3))
    return buffer.getvalue()


_JSON_EDIT = st.tuples(
    st.just("json"),
    st.sampled_from(["config.json", "config.json", "metadata.json"]),
    st.integers(0, 10**6),
    _JSON,
    st.booleans(),
)
_STRUCTURE = st.one_of(
    _JSON_EDIT,
    _JSON_EDIT,  # listed twice: JSON edits reach the most code
    st.tuples(st.just("drop"), st.sampled_from(_MEMBERS)),
    st.tuples(st.just("duplicate"), st.sampled_from(_MEMBERS)),
    st.tuples(
        st.just("rename"),
        st.sampled_from(_MEMBERS),
        st.sampled_from(
            [
                "config.json",
                "model.weights.h5",
                "assets/config.json",
                "../config.json",
                "/model.weights.h5",
                "config.JSON",
            ]
        ),
    ),
    st.tuples(
        st.just("h5"),
        st.sampled_from(["drop", "transpose", "grow", "int", "text", "scalar"]),
        st.integers(0, 50),
    ),
)


def _mutate_members(members, op):
    members = list(members)
    index = {name: i for i, (name, _) in enumerate(members)}
    kind = op[0]
    target = "model.weights.h5" if kind == "h5" else op[1]
    if target not in index:
        return members  # an earlier op removed or renamed it
    if kind == "json":
        _, name, pick, new, delete = op
        value = json.loads(members[index[name]][1])
        edited = json.dumps(_edit_json(value, pick, new, delete))
        members[index[name]] = (name, edited.encode())
    elif kind == "drop":
        del members[index[op[1]]]
    elif kind == "duplicate":
        members.append(members[index[op[1]]])
    elif kind == "rename":
        members[index[op[1]]] = (op[2], members[index[op[1]]][1])
    elif kind == "h5":
        i = index["model.weights.h5"]
        members[i] = (members[i][0], _edit_h5(members[i][1], op[1], op[2]))
    return members


@FUZZ
@given(ops=st.lists(_STRUCTURE, min_size=1, max_size=3))
def test_structured_mutations(workdir, ops):
    members = valid_members()
    for op in ops:
        try:
            members = _mutate_members(members, op)
        except (ValueError, TypeError, OSError):
            pass  # an earlier op left nothing this op can edit
    check_load(str(workdir), _zip(members))


def test_the_unmutated_archive_loads(workdir):
    """The control: without mutations the archive loads and predicts."""
    path = os.path.join(str(workdir), "control.keras")
    with open(path, "wb") as f:
        f.write(_zip(valid_members()))
    model = lamina.models.load_model(path)
    assert model.compiled and int(model.optimizer.iterations) == 1
    assert model.predict(np.ones((1, 3), "float32"), verbose=0).shape == (1, 2)
    os.remove(path)


def test_the_harness_catches_undocumented_errors(workdir, monkeypatch):
    """The harness itself can fail: an undocumented error type escapes."""

    def broken(path, *args, **kwargs):
        raise KeyError("not documented")

    monkeypatch.setattr(lamina.models, "load_model", broken)
    with pytest.raises(KeyError):
        check_load(str(workdir), _zip(valid_members()))
