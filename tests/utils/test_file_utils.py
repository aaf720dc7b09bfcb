"""`lamina.utils.get_file` against Keras 3's naming and caching rules."""

import hashlib
import io
import os
import tarfile
import zipfile

import pytest

import lamina
from lamina.datasets import cache
from tests.keras_oracle import keras


class _Served:
    """urlopen stand-in that serves fixed bytes and counts requests."""

    def __init__(self, payload: bytes):
        self.payload, self.calls = payload, 0

    def __call__(self, url, timeout=None):
        self.calls += 1
        return io.BytesIO(self.payload)


@pytest.fixture
def served(monkeypatch):
    def serve(payload):
        fake = _Served(payload)
        monkeypatch.setattr(cache.request, "urlopen", fake)
        return fake

    return serve


def _tar_bytes(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_download_then_reuse(tmp_path, served, capsys):
    fake = served(b"payload")
    path = lamina.utils.get_file(
        "f.bin", "https://x.test/f.bin", cache_dir=str(tmp_path)
    )
    assert path == str(tmp_path / "datasets" / "f.bin")
    assert open(path, "rb").read() == b"payload"
    again = lamina.utils.get_file(
        "f.bin", "https://x.test/f.bin", cache_dir=str(tmp_path)
    )
    assert again == path and fake.calls == 1
    lamina.utils.get_file(
        "f.bin",
        "https://x.test/f.bin",
        cache_dir=str(tmp_path),
        force_download=True,
    )
    assert fake.calls == 2
    assert (
        "Downloading data from https://x.test/f.bin" in capsys.readouterr().out
    )


def test_name_from_url_and_subdir(tmp_path, served):
    served(b"abc")
    path = lamina.utils.get_file(
        origin="https://x.test/dir/data.csv?x=1",
        cache_dir=str(tmp_path),
        cache_subdir="sub",
    )
    assert path == str(tmp_path / "sub" / "data.csv")


@pytest.mark.parametrize("algorithm", ["sha256", "md5"])
def test_hash_mismatch_redownloads_and_bad_download_raises(
    tmp_path, served, algorithm
):
    good = b"good bytes"
    digest = hashlib.new(algorithm, good).hexdigest()
    target = tmp_path / "datasets" / "f.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"stale")
    fake = served(good)
    lamina.utils.get_file(
        "f.bin", "https://x.test/f", file_hash=digest, cache_dir=str(tmp_path)
    )
    assert target.read_bytes() == good and fake.calls == 1
    served(b"tampered")
    target.write_bytes(b"stale")
    with pytest.raises(ValueError, match="corrupted"):
        lamina.utils.get_file(
            "f.bin",
            "https://x.test/f",
            file_hash=digest,
            cache_dir=str(tmp_path),
        )
    assert sorted(os.listdir(target.parent)) == ["f.bin"]  # no partial file


def test_extract_tar_and_zip_like_keras(tmp_path, served):
    served(_tar_bytes({"inner/a.txt": b"A"}))
    folder = lamina.utils.get_file(
        "arch.tar.gz", "https://x.test/a", cache_dir=str(tmp_path), extract=True
    )
    assert folder == str(tmp_path / "datasets" / "arch_extracted")
    assert open(os.path.join(folder, "inner", "a.txt")).read() == "A"
    # Keras finds the same cached archive and names the same folder.
    theirs = keras.utils.get_file(
        "arch.tar.gz", "https://x.test/a", cache_dir=str(tmp_path), extract=True
    )
    assert theirs == folder
    served(_zip_bytes({"b.txt": "B"}))
    folder = lamina.utils.get_file(
        origin="https://x.test/z.zip", cache_dir=str(tmp_path), extract=True
    )
    assert folder == str(tmp_path / "datasets" / "z.zip")
    assert open(os.path.join(folder, "b.txt")).read() == "B"


@pytest.mark.parametrize("make", [_zip_bytes, _tar_bytes])
def test_archive_escaping_the_folder_is_refused(tmp_path, served, make):
    served(make({"../evil.txt": b"x"}))
    with pytest.raises(ValueError, match="evil.txt"):
        lamina.utils.get_file(
            "a.arch", "https://x.test/a", cache_dir=str(tmp_path), extract=True
        )
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "datasets" / "evil.txt").exists()


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="origin"):
        lamina.utils.get_file("a")
    with pytest.raises(ValueError, match="fname"):
        lamina.utils.get_file(
            "d/a.txt", "https://x.test/a", cache_dir=str(tmp_path)
        )
    with pytest.raises(ValueError, match="hash_algorithm"):
        lamina.utils.get_file(
            "a",
            "https://x.test/a",
            file_hash="00",
            hash_algorithm="crc",
            cache_dir=str(tmp_path),
        )


def test_offline_error_names_url_and_path(tmp_path, monkeypatch):
    def offline(url, timeout=None):
        raise OSError("network unreachable")

    monkeypatch.setattr(cache.request, "urlopen", offline)
    with pytest.raises(OSError, match="https://x.test/f.bin") as info:
        lamina.utils.get_file(
            "f.bin", "https://x.test/f.bin", cache_dir=str(tmp_path)
        )
    assert str(tmp_path / "datasets" / "f.bin") in str(info.value)
