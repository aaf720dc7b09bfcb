"""Keras's cache folder rule, atomic verified downloads, safe extraction."""

import hashlib
import io
import os
import tarfile
import urllib.error
import urllib.request

import pytest

from lamina.datasets import cache
from tests.datasets import fakes

URL = "https://example.invalid/data.bin"


class FakeResponse(io.BytesIO):
    """What `urlopen` returns: a readable context manager."""


def serve(monkeypatch, payload, seen=None):
    def urlopen(url, timeout=None):
        if seen is not None:
            seen.append((url, timeout))
        return FakeResponse(payload)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)


def test_keras_home_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert cache.keras_home() == str(tmp_path / "kh")
    assert cache.cache_dir() == str(tmp_path / "kh" / "datasets")
    assert os.path.isdir(tmp_path / "kh" / "datasets")


def test_keras_home_defaults_to_dot_keras_in_home(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.keras_home() == str(tmp_path / ".keras")
    assert cache.cache_dir("datasets/fashion-mnist") == str(
        tmp_path / ".keras" / "datasets" / "fashion-mnist"
    )


def test_unwritable_home_falls_back_to_tmp_keras(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cache, "_tmp_root", lambda: str(tmp_path / "tmp"))
    real_access = os.access
    # Running as root makes chmod useless here, so deny access directly.
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: (
            False
            if str(p).startswith(str(tmp_path / "home"))
            else real_access(p, mode)
        ),
    )
    assert cache.keras_home() == str(tmp_path / "tmp" / ".keras")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home" / "kh"))
    assert cache.cache_dir() == str(tmp_path / "tmp" / ".keras" / "datasets")


def test_cached_file_is_returned_without_download(datasets_dir):
    (datasets_dir / "x.npz").write_bytes(b"cached")
    path = cache.cached_file("x.npz", URL, "0" * 64, "f")
    assert path == str(datasets_dir / "x.npz")


def test_cached_file_rejects_folders(keras_home):
    with pytest.raises(
        ValueError,
        match=r"argument `path` of mnist\.load"
        r"_data.*Received: path='sub/mnist\.npz'",
    ):
        cache.cached_file("sub/mnist.npz", URL, None, "mnist.load_data")


@pytest.mark.parametrize("algo", ["sha256", "md5"])
def test_download_verifies_hash_and_lands_atomically(
    keras_home, monkeypatch, algo, capsys
):
    payload = b"some dataset bytes" * 1000
    seen = []
    serve(monkeypatch, payload, seen)
    digest = hashlib.new(algo, payload).hexdigest()
    path = cache.cached_file("data.bin", URL, digest, "f")
    with open(path, "rb") as f:
        assert f.read() == payload
    assert seen == [(URL, cache.DOWNLOAD_TIMEOUT)]
    assert os.listdir(os.path.dirname(path)) == ["data.bin"]
    assert URL in capsys.readouterr().out


def test_corrupted_download_is_not_kept(keras_home, monkeypatch):
    serve(monkeypatch, b"tampered")
    with pytest.raises(
        ValueError,
        match=r"f: the file downloaded from "
        r"https://example\.invalid/data\.bin is corrupted: "
        r"expected hash 0{64}, received [0-9a-f]{64}",
    ):
        cache.cached_file("data.bin", URL, "0" * 64, "f")
    assert os.listdir(keras_home / "datasets") == []


@pytest.mark.parametrize(
    "error", [urllib.error.URLError("no route"), TimeoutError("timed out")]
)
def test_offline_error_names_path_and_url(keras_home, monkeypatch, error):
    def urlopen(url, timeout=None):
        raise error

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    target = os.path.join(keras_home, "datasets", "data.bin")
    with pytest.raises(cache.DatasetUnavailableError) as info:
        cache.cached_file("data.bin", URL, None, "thing.load_data")
    assert isinstance(info.value, OSError)
    message = str(info.value)
    assert message.startswith("thing.load_data could not download " + URL)
    assert target in message
    assert os.listdir(keras_home / "datasets") == []


def _tar_with(tmp_path, build):
    path = tmp_path / "bad.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        build(tar)
    return str(path)


def _add(tar, name, data=b"x", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data)
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


@pytest.mark.parametrize(
    "name,kind,link,reason",
    [
        ("../escaped.txt", tarfile.REGTYPE, "", "'\\.\\.' component"),
        ("ok/../../escaped.txt", tarfile.REGTYPE, "", "'\\.\\.' component"),
        ("/tmp/escaped.txt", tarfile.REGTYPE, "", "absolute path"),
        ("ok/link", tarfile.SYMTYPE, "/etc/passwd", "link or special file"),
        ("ok/hard", tarfile.LNKTYPE, "../escaped.txt", "link or special file"),
    ],
)
def test_safe_extract_refuses_unsafe_members(
    tmp_path, name, kind, link, reason
):
    def build(tar):
        _add(tar, "ok/fine.txt")
        _add(tar, name, kind=kind, link=link)

    archive = _tar_with(tmp_path, build)
    dest = tmp_path / "dest"
    with pytest.raises(ValueError, match=f"member '{name}' has an? {reason}"):
        cache.safe_extract(archive, str(dest), "cifar10.load_data")
    assert not (tmp_path / "escaped.txt").exists()
    assert not (dest / "ok").exists()  # nothing is written at all


def test_safe_extract_replaces_entries_whole(tmp_path):
    archive = str(tmp_path / "a.tar.gz")
    fakes.write_tar(archive, {"top/a.txt": b"new", "top/b.txt": b"b"})
    dest = tmp_path / "dest"
    (dest / "top").mkdir(parents=True)
    (dest / "top" / "stale.txt").write_bytes(b"old")
    cache.safe_extract(archive, str(dest), "f")
    assert sorted(os.listdir(dest / "top")) == ["a.txt", "b.txt"]
    assert (dest / "top" / "a.txt").read_bytes() == b"new"
    assert os.listdir(dest) == ["top"]  # no staging folder left behind
