"""An untrusted `.keras` file is checked before use: bad zips, unsafe
member names, bombs, missing or malformed members, hostile HDF5 content
and weights that do not fit all raise a clear error, and loading writes
nothing anywhere."""

import io
import json
import os
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving import archive_checks


def _model():
    return lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(2)], name="small"
    )


@pytest.fixture
def valid(tmp_path):
    path = str(tmp_path / "valid.keras")
    _model().save(path)
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _write_zip(path, members, compression=zipfile.ZIP_STORED):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are on purpose
        with zipfile.ZipFile(path, "w", compression=compression) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return str(path)


def _load_expecting(path, *patterns, error=ValueError):
    folder = os.path.dirname(path)
    before = sorted(os.listdir(folder))
    with pytest.raises(error) as info:
        lamina.models.load_model(path)
    message = str(info.value)
    assert path in message, message
    for pattern in patterns:
        assert pattern in message, message
    assert sorted(os.listdir(folder)) == before  # nothing written
    return message


# -- the file itself ----------------------------------------------------------


def test_missing_file_is_oserror(tmp_path):
    path = str(tmp_path / "absent.keras")
    _load_expecting(path, "Cannot read", error=FileNotFoundError)


def test_folder_named_keras(tmp_path):
    path = tmp_path / "folder.keras"
    path.mkdir()
    _load_expecting(str(path), "folder", error=IsADirectoryError)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.keras"
    path.write_bytes(b"")
    _load_expecting(str(path), "empty")


def test_not_a_zip(tmp_path):
    path = tmp_path / "text.keras"
    path.write_text("just some text, not an archive")
    _load_expecting(str(path), "not a valid `.keras` archive")


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.95])
def test_truncated_archive(tmp_path, valid, fraction):
    data = open(_write_zip(tmp_path / "v.keras", valid.items()), "rb").read()
    path = tmp_path / "cut.keras"
    path.write_bytes(data[: int(len(data) * fraction)])
    _load_expecting(str(path))


def test_hdf5_file_given_to_load_model(tmp_path):
    weights = tmp_path / "w.weights.h5"
    _model().save_weights(str(weights))
    renamed = tmp_path / "renamed.keras"
    renamed.write_bytes(weights.read_bytes())
    _load_expecting(str(renamed), "HDF5", "load_weights")
    with pytest.raises(
        ValueError,
        match=r"`\.keras` extension.*"
        r"load_weights",
    ):
        lamina.models.load_model(str(weights))


# -- member names and sizes ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "/etc/evil.txt",
        "assets/../../evil.txt",
        "C:/evil.txt",
        "assets\\..\\evil.txt",
        "a//b",
    ],
)
def test_unsafe_member_names(tmp_path, valid, name):
    path = _write_zip(
        tmp_path / "slip.keras", list(valid.items()) + [(name, b"payload")]
    )
    _load_expecting(path, "unsafe")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_duplicate_member(tmp_path, valid):
    items = list(valid.items()) + [("config.json", valid["config.json"])]
    _load_expecting(_write_zip(tmp_path / "dup.keras", items), "more than once")


def test_decompression_bomb(tmp_path, valid, monkeypatch):
    monkeypatch.setattr(archive_checks, "RATIO_FLOOR_BYTES", 1 << 16)
    items = list(valid.items()) + [("assets/zeros.bin", bytes(1 << 20))]
    path = _write_zip(tmp_path / "bomb.keras", items, zipfile.ZIP_DEFLATED)
    _load_expecting(path, "decompression bomb", "assets/zeros.bin")


def test_member_size_limits(tmp_path, valid, monkeypatch):
    path = _write_zip(tmp_path / "big.keras", valid.items())
    monkeypatch.setattr(archive_checks, "MAX_MEMBER_BYTES", 100)
    _load_expecting(path, "model.weights.h5", "more than the limit")
    monkeypatch.setattr(archive_checks, "MAX_MEMBER_BYTES", 1 << 30)
    monkeypatch.setattr(archive_checks, "MAX_JSON_BYTES", 200)
    _load_expecting(path, "config.json", "more than the limit")
    monkeypatch.setattr(archive_checks, "MAX_JSON_BYTES", 1 << 20)
    monkeypatch.setattr(archive_checks, "MAX_TOTAL_BYTES", 1000)
    _load_expecting(path, "expand to")


def test_too_many_members(tmp_path, valid, monkeypatch):
    monkeypatch.setattr(archive_checks, "MAX_MEMBERS", 5)
    items = list(valid.items()) + [(f"assets/{i}", b"x") for i in range(3)]
    _load_expecting(_write_zip(tmp_path / "many.keras", items), "6 members")


def test_archive_size_limit(tmp_path, valid, monkeypatch):
    path = _write_zip(tmp_path / "v.keras", valid.items())
    monkeypatch.setattr(archive_checks, "MAX_ARCHIVE_BYTES", 100)
    _load_expecting(path, "limit")


# -- required members and their JSON ------------------------------------------


@pytest.mark.parametrize("missing", ["config.json", "model.weights.h5"])
def test_required_member_missing(tmp_path, valid, missing):
    items = [(n, d) for n, d in valid.items() if n != missing]
    _load_expecting(
        _write_zip(tmp_path / "part.keras", items), f"no `{missing}` member"
    )


def test_metadata_is_optional(tmp_path, valid):
    items = [(n, d) for n, d in valid.items() if n != "metadata.json"]
    model = lamina.models.load_model(_write_zip(tmp_path / "m.keras", items))
    assert model.name == "small"


@pytest.mark.parametrize(
    "config, words",
    [
        (b"{not json", "malformed JSON"),
        (b"\xff\xfe{}", "malformed JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b"{}", "no `class_name` key"),
        (b'{"class_name": 3, "config": {}}', "`class_name` must be str"),
        (
            b'{"class_name": "Sequential", "config": []}',
            "`config` must be dict",
        ),
        (
            b'{"class_name": "Sequential", "config": {}, "module": 1}',
            "`module` must be str or NoneType",
        ),
        (
            b'{"class_name": "Sequential", "config": {}, "compile_config": 1}',
            "`compile_config` must be dict",
        ),
        (b"[" * 5000 + b"]" * 5000, "JSON"),
        (b'{"a":' * 300 + b"1" + b"}" * 300, "nested more than"),
    ],
)
def test_malformed_config(tmp_path, valid, config, words):
    items = [(n, config if n == "config.json" else d) for n, d in valid.items()]
    _load_expecting(_write_zip(tmp_path / "bad.keras", items), words)


@pytest.mark.parametrize(
    "metadata, words",
    [
        (b"[]", "expected a JSON object"),
        (b'{"keras_version": 3}', "`keras_version` must be str"),
        (b"\x00\x01", "malformed JSON"),
    ],
)
def test_malformed_metadata(tmp_path, valid, metadata, words):
    items = [
        (n, metadata if n == "metadata.json" else d) for n, d in valid.items()
    ]
    _load_expecting(_write_zip(tmp_path / "meta.keras", items), words)


def test_unknown_class_is_named(tmp_path, valid):
    config = json.loads(valid["config.json"])
    config["config"]["layers"][1]["class_name"] = "NoSuchLayer"
    items = [
        (n, json.dumps(config).encode() if n == "config.json" else d)
        for n, d in valid.items()
    ]
    _load_expecting(
        _write_zip(tmp_path / "u.keras", items),
        "NoSuchLayer",
        "custom_objects",
        "register_keras_serializable",
    )


def test_config_of_a_layer_not_a_model(tmp_path, valid):
    config = json.loads(valid["config.json"])["config"]["layers"][1]
    items = [
        (n, json.dumps(config).encode() if n == "config.json" else d)
        for n, d in valid.items()
    ]
    _load_expecting(
        _write_zip(tmp_path / "l.keras", items),
        "describes a Dense, not a model",
    )


# -- the weights file ---------------------------------------------------------


def _h5(build):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        build(f)
    return buffer.getvalue()


def _with_weights(tmp_path, valid, weights, name="w.keras"):
    items = [
        (n, weights if n == "model.weights.h5" else d) for n, d in valid.items()
    ]
    return _write_zip(tmp_path / name, items)


def _dense_group(f, kernel=(3, 2), bias=(2,)):
    f.create_group("vars")
    group = f.create_group("layers/dense/vars")
    group.attrs["name"] = "dense"
    if kernel is not None:
        group.create_dataset("0", data=np.zeros(kernel, "float32"))
    if bias is not None:
        group.create_dataset("1", data=np.zeros(bias, "float32"))
    return group


def test_weights_not_hdf5(tmp_path, valid):
    _load_expecting(
        _with_weights(tmp_path, valid, b"garbage" * 10), "not an HDF5 file"
    )


def test_weights_corrupt_hdf5(tmp_path, valid):
    data = bytearray(valid["model.weights.h5"])
    data[400:800] = b"\xff" * 400
    _load_expecting(_with_weights(tmp_path, valid, bytes(data)), "is corrupt")


@pytest.mark.parametrize("link", ["soft", "external"])
def test_weights_with_links(tmp_path, valid, link):
    def build(f):
        group = _dense_group(f, bias=None)
        if link == "soft":
            group["1"] = h5py.SoftLink("/layers/dense/vars/0")
        else:
            group["1"] = h5py.ExternalLink("/etc/hostname", "/x")

    weights = _h5(build)
    name = "SoftLink" if link == "soft" else "ExternalLink"
    _load_expecting(_with_weights(tmp_path, valid, weights), name)


def test_weights_external_dataset(tmp_path, valid):
    outside = tmp_path / "raw.bin"
    outside.write_bytes(bytes(8))

    def build(f):
        group = _dense_group(f, bias=None)
        group.create_dataset(
            "1", shape=(2,), dtype="float32", external=[(str(outside), 0, 8)]
        )

    _load_expecting(_with_weights(tmp_path, valid, _h5(build)), "another file")


def test_weights_of_strings(tmp_path, valid):
    def build(f):
        group = _dense_group(f, bias=None)
        group.create_dataset("1", data=np.array([b"a", b"b"]))

    _load_expecting(_with_weights(tmp_path, valid, _h5(build)), "plain numbers")


def test_weights_shape_bomb(tmp_path, valid):
    def build(f):
        group = _dense_group(f, bias=None)
        group.create_dataset(
            "1",
            shape=(1 << 20, 1 << 12),
            dtype="float32",
            chunks=(1024, 1024),
            compression="gzip",
        )

    _load_expecting(
        _with_weights(tmp_path, valid, _h5(build)),
        "shape or decompression bomb",
    )


def test_weight_shapes_must_fit(tmp_path, valid):
    weights = _h5(lambda f: _dense_group(f, kernel=(3, 5), bias=(5,)))
    _load_expecting(
        _with_weights(tmp_path, valid, weights),
        "size mismatch for layers/dense/vars/0",
        "checkpoint has (3, 5)",
        "expects (3, 2)",
        "size mismatch for layers/dense/vars/1",
    )


def test_weight_count_must_fit(tmp_path, valid):
    weights = _h5(lambda f: _dense_group(f, bias=None))
    _load_expecting(
        _with_weights(tmp_path, valid, weights),
        "the file has 1 weights",
        "expects 2",
    )


def test_missing_weights_group(tmp_path, valid):
    weights = _h5(lambda f: f.create_group("vars"))
    _load_expecting(
        _with_weights(tmp_path, valid, weights),
        "layers/dense/vars",
        "expects 2",
    )


def test_vars_that_is_a_dataset(tmp_path, valid):
    def build(f):
        f.create_group("vars")
        f.create_dataset("layers/dense/vars", data=np.zeros(3))

    _load_expecting(
        _with_weights(tmp_path, valid, _h5(build)),
        "expected a group of weights",
    )


def test_weights_named_oddly(tmp_path, valid):
    def build(f):
        group = _dense_group(f, bias=None)
        group.create_dataset("seven", data=np.zeros(2, "float32"))

    _load_expecting(_with_weights(tmp_path, valid, _h5(build)), "named 0..n-1")


# -- what the config makes torch allocate -------------------------------------


def _with_units(tmp_path, valid, units, copies=1):
    config = json.loads(valid["config.json"])
    layers = config["config"]["layers"]
    dense = layers.pop(1)
    for i in range(copies):
        layer = json.loads(json.dumps(dense))
        layer["config"]["units"] = units
        layer["config"]["name"] = f"dense_big_{i}"
        layer.pop("build_config", None)
        layers.append(layer)
    items = [
        (n, json.dumps(config).encode() if n == "config.json" else d)
        for n, d in valid.items()
    ]
    return _write_zip(tmp_path / "alloc.keras", items)


def test_config_asking_for_a_huge_tensor(tmp_path, valid):
    # 2**40 units: 12 TiB of kernel. Refused before torch tries.
    _load_expecting(_with_units(tmp_path, valid, 2**40), "would allocate")


def test_config_asking_for_many_tensors(tmp_path, valid, monkeypatch):
    # Each 200x200 kernel is 160 KB, under the 1 MB budget; ten are not.
    monkeypatch.setattr(archive_checks, "ALLOCATION_FLOOR_BYTES", 1 << 20)
    _load_expecting(
        _with_units(tmp_path, valid, 200, copies=10), "would allocate"
    )
    with pytest.raises(ValueError, match="size mismatch"):
        lamina.models.load_model(_with_units(tmp_path, valid, 200, copies=3))


def test_valid_archive_round_trips(tmp_path, valid):
    """The control for the tests above: the untouched members load."""
    path = _write_zip(tmp_path / "ok.keras", valid.items())
    model = lamina.models.load_model(path)
    assert [w.shape for w in model.get_weights()] == [(3, 2), (2,)]
