"""`Hashing`, `HashedCrossing` and their hash functions.

Keras's layers need TensorFlow, so their outputs and configs come from
Keras 3.15.1 + TensorFlow 2.21 (`keras_tf_goldens.py`); FarmHash
Fingerprint64 is also checked against `pyfarmhash` (Google's C++ code) and
SipHash-2-4 against the reference vectors of the SipHash paper."""

import pickle

import farmhash
import numpy as np
import pytest
import torch

from lamina.layers import HashedCrossing, Hashing
from lamina.layers.preprocessing import hash_functions
from tests.layers.preprocessing.goldens_helper import case_ids, check_case


@pytest.mark.parametrize("case_id", case_ids("h_") + case_ids("hc_"))
def test_matches_keras(case_id):
    check_case(case_id)


def test_fingerprint64_matches_farmhash():
    rng = np.random.default_rng(0)
    strings = ["", "a", "é", "日本語"] + [
        "".join(chr(c) for c in rng.integers(32, 0x3000, n))
        for n in list(range(1, 140)) + [255, 256, 257, 1000]
    ]
    ours = hash_functions.fingerprint64(strings)
    assert [int(h) for h in ours] == [
        farmhash.fingerprint64(s) for s in strings
    ]


def test_siphash_reference_vectors():
    # SipHash paper, appendix A: key 00..0f, messages 00, 00 01, ...; the
    # first three and the 15-byte one of the reference implementation.
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    messages = [bytes(range(n)) for n in (0, 1, 2, 15)]
    expected = [
        0x726FDB47DD0E0E31,
        0x74F839C593DC67FD,
        0x0D6C8009D9A94F5A,
        0xA129CA6149BE45E5,
    ]
    assert [int(h) for h in hash_functions.siphash64(messages, key)] == expected


def test_integer_tensors_and_devices():
    layer = Hashing(num_bins=97)
    x = np.array([[0, 1, -1], [42, 123456789012, -98765]])
    assert layer(torch.from_numpy(x)).tolist() == layer(x).tolist()


def test_bad_input():
    with pytest.raises(
        ValueError,
        match=r"`num_bins` of Hashing.*"
        r"Received: num_bins=0",
    ):
        Hashing(num_bins=0)
    with pytest.raises(ValueError, match=r"`output_mode` of Hashing"):
        Hashing(num_bins=3, output_mode="bins")
    with pytest.raises(
        ValueError,
        match=r"`dtype` of Hashing: expected "
        r"'int32' or 'int64'",
    ):
        Hashing(num_bins=3, dtype="float32")
    with pytest.raises(ValueError, match=r"`salt` of Hashing"):
        Hashing(num_bins=3, salt=[1, 2, 3])
    with pytest.raises(
        TypeError,
        match=r"Hashing 'h' expects string or "
        r"integer inputs.*dtype object",
    ):
        Hashing(num_bins=3, name="h")([["a", None]])
    with pytest.raises(ValueError, match=r"`output_mode` of HashedCrossing"):
        HashedCrossing(num_bins=3, output_mode="count")
    layer = HashedCrossing(num_bins=3, name="hc")
    with pytest.raises(
        ValueError,
        match=r"HashedCrossing 'hc' should be "
        r"called on a list or tuple of at least two",
    ):
        layer(np.array([1, 2]))
    with pytest.raises(ValueError, match=r"same shape"):
        layer((np.array([1, 2]), np.array([1, 2, 3])))
    with pytest.raises(ValueError, match=r"\(batch_size, 1\).*\(2, 2\)"):
        layer((np.ones((2, 2), int), np.ones((2, 2), int)))
    with pytest.raises(TypeError, match=r"integers or strings"):
        layer((np.array([1.5]), np.array([2])))


class _Rows(torch.utils.data.Dataset):
    def __init__(self, hashing, crossing):
        self.hashing, self.crossing = hashing, crossing

    def __len__(self):
        return 2

    def __getitem__(self, i):
        word = ["cat", "dog"][i]
        return (
            self.hashing(np.array([word])),
            self.crossing((np.array([word]), np.array([i]))),
        )


def test_pickle_and_dataloader_workers():
    hashing = pickle.loads(pickle.dumps(Hashing(num_bins=1000, salt=7)))
    crossing = pickle.loads(pickle.dumps(HashedCrossing(num_bins=1000)))
    loader = torch.utils.data.DataLoader(
        _Rows(hashing, crossing), batch_size=2, num_workers=1
    )
    ((hashed, crossed),) = list(loader)
    assert hashed.tolist() == hashing(np.array([["cat"], ["dog"]])).tolist()
    assert (
        crossed.tolist()
        == crossing(
            (np.array([["cat"], ["dog"]]), np.array([[0], [1]]))
        ).tolist()
    )
