"""cifar10 and cifar100 read (or safely extract) Keras's CIFAR cache."""

import os
import pickle

import numpy as np
import pytest

from lamina import config
from lamina.datasets import cifar10
from lamina.datasets import cifar100
from tests.datasets import fakes

C10 = "cifar-10-batches-py"
C100 = "cifar-100-python"
C10_NAMES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


@pytest.fixture
def c10_batches(datasets_dir, rng):
    sizes = [4, 3, 4, 2, 4, 3]
    batches = {
        name: fakes.cifar_batch(rng, n, [b"labels"], 10)
        for name, n in zip(C10_NAMES, sizes)
    }
    members = {f"{C10}/{name}": fakes.pickled(b) for name, b in batches.items()}
    members[f"{C10}/batches.meta"] = fakes.pickled(
        {b"label_names": [n.encode() for n in cifar10.CLASS_NAMES]}
    )
    members[f"{C10}/readme.html"] = b"<html></html>"
    fakes.write_tar(
        datasets_dir / "cifar-10-batches-py-target_archive", members
    )
    return batches


def _expected_c10(batches, names):
    x = np.concatenate([batches[n][b"data"] for n in names])
    y = np.concatenate([batches[n][b"labels"] for n in names])
    return x.reshape(-1, 3, 32, 32), y.astype(np.uint8).reshape(-1, 1)


def test_cifar10_extracts_and_reads(c10_batches, datasets_dir):
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    x, y = _expected_c10(c10_batches, C10_NAMES[:5])
    assert x_train.shape == (17, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (17, 1) and y_train.dtype == np.uint8
    np.testing.assert_array_equal(x_train, x.transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_train, y)
    x, y = _expected_c10(c10_batches, ["test_batch"])
    assert x_test.shape == (3, 32, 32, 3) and y_test.shape == (3, 1)
    assert x_test.dtype == y_test.dtype == np.uint8
    np.testing.assert_array_equal(x_test, x.transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_test, y)
    # Extracted where Keras extracts it, so Keras can reuse it.
    assert sorted(
        os.listdir(datasets_dir / "cifar-10-batches-py-target" / C10)
    ) == sorted(C10_NAMES + ["batches.meta", "readme.html"])


def test_cifar10_reuses_the_extracted_folder(c10_batches, datasets_dir):
    first = cifar10.load_data()
    os.remove(datasets_dir / "cifar-10-batches-py-target_archive")
    second = cifar10.load_data()  # downloads are disabled by the fixture
    for a, b in zip(first[0] + first[1], second[0] + second[1]):
        np.testing.assert_array_equal(a, b)


def test_cifar10_reads_keras_2_folder(c10_batches, datasets_dir):
    # Keras 2 extracted the archive straight into <cache>/cifar-10-batches-py.
    cifar10.load_data()
    os.rename(
        datasets_dir / "cifar-10-batches-py-target" / C10, datasets_dir / C10
    )
    os.rmdir(datasets_dir / "cifar-10-batches-py-target")
    os.remove(datasets_dir / "cifar-10-batches-py-target_archive")
    (x_train, _), _ = cifar10.load_data()
    x, _ = _expected_c10(c10_batches, C10_NAMES[:5])
    np.testing.assert_array_equal(x_train, x.transpose(0, 2, 3, 1))
    assert not (datasets_dir / "cifar-10-batches-py-target").exists()


def test_cifar10_truncated_archive(datasets_dir):
    (datasets_dir / "cifar-10-batches-py-target_archive").write_bytes(
        b"\x1f\x8b not really gzip"
    )
    with pytest.raises(
        ValueError,
        match=r"(?s)cifar10\.load_data: .*cifar-10-"
        r"batches-py-target_archive is not a readable tar "
        r"archive .*Delete it and call again",
    ):
        cifar10.load_data()


def test_cifar10_matches_keras_batch_reader(
    c10_batches, datasets_dir, keras_datasets
):
    # Keras's cifar10.load_data assumes 10,000 images per batch, so compare
    # with its per-batch reader on the same extracted files instead.
    from keras.src.datasets.cifar import load_batch

    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    folder = datasets_dir / "cifar-10-batches-py-target" / C10
    parts = [load_batch(str(folder / n)) for n in C10_NAMES]
    x = np.concatenate([p[0] for p in parts[:5]]).transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(x_train, x)
    np.testing.assert_array_equal(
        y_train[:, 0], np.concatenate([p[1] for p in parts[:5]])
    )
    np.testing.assert_array_equal(x_test, parts[5][0].transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_test[:, 0], parts[5][1])


def test_cifar10_channels_first(c10_batches):
    config.set_image_data_format("channels_first")
    try:
        (x_train, _), (x_test, _) = cifar10.load_data()
    finally:
        config.set_image_data_format("channels_last")
    x, _ = _expected_c10(c10_batches, C10_NAMES[:5])
    assert x_train.shape == (17, 3, 32, 32) and x_test.shape == (3, 3, 32, 32)
    np.testing.assert_array_equal(x_train, x)


def test_cifar10_refuses_a_malicious_batch(datasets_dir, tmp_path):
    marker = tmp_path / "ran"
    from tests.datasets.test_safe_pickle import Payload

    members = {
        f"{C10}/{n}": pickle.dumps({b"data": Payload(marker)})
        for n in C10_NAMES
    }
    fakes.write_tar(
        datasets_dir / "cifar-10-batches-py-target_archive", members
    )
    with pytest.raises(pickle.UnpicklingError, match="system"):
        cifar10.load_data()
    assert not marker.exists()


def test_cifar10_refuses_an_escaping_archive(datasets_dir):
    members = {f"{C10}/{n}": b"x" for n in C10_NAMES}
    members["../../escaped.txt"] = b"x"
    fakes.write_tar(
        datasets_dir / "cifar-10-batches-py-target_archive", members
    )
    with pytest.raises(
        ValueError,
        match=r"cifar10.load_data: refusing to "
        r"extract .*member '\.\./\.\./escaped\.txt' has a "
        r"'\.\.' component",
    ):
        cifar10.load_data()
    assert not (datasets_dir.parent / "escaped.txt").exists()
    assert not (datasets_dir / "cifar-10-batches-py-target" / C10).exists()


def test_cifar10_rejects_a_batch_without_data(datasets_dir):
    members = {f"{C10}/{n}": pickle.dumps({b"labels": [1]}) for n in C10_NAMES}
    fakes.write_tar(
        datasets_dir / "cifar-10-batches-py-target_archive", members
    )
    with pytest.raises(
        ValueError,
        match="data_batch_1 is not a CIFAR batch: "
        "expected a dict with keys 'data' and 'labels', "
        r"received \['labels'\]",
    ):
        cifar10.load_data()


@pytest.fixture
def c100_batches(datasets_dir, rng):
    batches = {
        name: fakes.cifar_batch(rng, n, [b"fine_labels"], 100)
        for name, n in (("train", 5), ("test", 3))
    }
    for batch in batches.values():
        batch[b"coarse_labels"] = [v // 5 for v in batch[b"fine_labels"]]
    members = {
        f"{C100}/{name}": fakes.pickled(b) for name, b in batches.items()
    }
    members[f"{C100}/meta"] = fakes.pickled({b"fine_label_names": []})
    fakes.write_tar(datasets_dir / "cifar-100-python-target_archive", members)
    return batches


@pytest.mark.parametrize("mode", ["fine", "coarse"])
def test_cifar100_reads_and_matches_keras(c100_batches, keras_datasets, mode):
    ours = cifar100.load_data(label_mode=mode)
    for (x, y), name in zip(ours, ("train", "test")):
        batch = c100_batches[name]
        n = len(batch[b"data"])
        assert x.shape == (n, 32, 32, 3) and x.dtype == np.uint8
        assert y.shape == (n, 1) and y.dtype == np.int64
        np.testing.assert_array_equal(
            x, batch[b"data"].reshape(n, 3, 32, 32).transpose(0, 2, 3, 1)
        )
        np.testing.assert_array_equal(y[:, 0], batch[f"{mode}_labels".encode()])
    theirs = keras_datasets.cifar100.load_data(label_mode=mode)
    for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_cifar100_reextracts_a_damaged_folder(c100_batches, datasets_dir):
    cifar100.load_data()
    folder = datasets_dir / "cifar-100-python-target" / C100
    os.remove(folder / "test")
    _, (x_test, _) = cifar100.load_data()
    assert x_test.shape[0] == 3 and (folder / "test").exists()


def test_cifar100_label_mode_error(keras_home):
    with pytest.raises(
        ValueError,
        match=r"argument `label_mode` of "
        r"cifar100\.load_data: expected one of \('fine', "
        r"'coarse'\)\. Received: label_mode='medium'",
    ):
        cifar100.load_data(label_mode="medium")
