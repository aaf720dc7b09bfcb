"""The string hashes of Keras's hashing layers, in NumPy.

Keras's `Hashing`, `HashedCrossing` and the OOV buckets of the lookup
layers call TensorFlow's string hashes: `tf.strings.to_hash_bucket_fast`
(FarmHash `Fingerprint64`, i.e. `farmhashna::Hash64`), `to_hash_bucket_strong`
(SipHash-2-4 keyed by the salt) and `tf.sparse.cross_hashed`
(`FingerprintCat64` over the features' fingerprints). These are the same
functions, written from the public algorithm descriptions so that the same
values land in the same bins without TensorFlow:

- FarmHash: https://github.com/google/farmhash (`farmhashna::Hash64`)
- SipHash: Aumasson and Bernstein, "SipHash: a fast short-input PRF" (2012)

Every function hashes a 1-D array of byte strings at once: strings of the
same length are hashed together as rows of a `uint64` matrix (NumPy's
unsigned arithmetic wraps modulo 2**64 as the C code does), so the Python
work is per distinct length, not per string.
"""

from __future__ import annotations

from typing import Any

import numpy as np

U64 = np.uint64
K0 = U64(0xC3A5C85C97CB3127)
K1 = U64(0xB492B66FBE98F273)
K2 = U64(0x9AE16A3B2F90404F)
KMUL = U64(0x9DDFEA08EB382D69)  # Hash128to64's multiplier
CAT_MUL = U64(0xC6A4A7935BD1E995)  # FingerprintCat64's multiplier
# `tf.sparse.cross_hashed`'s key when none is given (sparse_ops.py).
DEFAULT_CROSS_KEY = 0xDECAFCAFFE


def _rot(v, shift: int):
    return (v >> U64(shift)) | (v << U64(64 - shift))


def _shift_mix(v):
    return v ^ (v >> U64(47))


def _fetch64(rows: np.ndarray, at: int):
    return np.ascontiguousarray(rows[:, at : at + 8]).view("<u8")[:, 0]


def _fetch32(rows: np.ndarray, at: int):
    word = np.ascontiguousarray(rows[:, at : at + 4]).view("<u4")[:, 0]
    return word.astype(U64)


def _len16(u, v, mul):
    a = _shift_mix((u ^ v) * mul)
    b = _shift_mix((v ^ a) * mul)
    return b * mul


def _short(rows: np.ndarray, n: int):
    """Hash of `n` <= 16 bytes."""
    count = U64(n)
    mul = K2 + count * U64(2)
    if n >= 8:
        a = _fetch64(rows, 0) + K2
        b = _fetch64(rows, n - 8)
        c = _rot(b, 37) * mul + a
        d = (_rot(a, 25) + b) * mul
        return _len16(c, d, mul)
    if n >= 4:
        a = _fetch32(rows, 0)
        return _len16(count + (a << U64(3)), _fetch32(rows, n - 4), mul)
    if n > 0:
        y = rows[:, 0].astype(U64) + (rows[:, n >> 1].astype(U64) << U64(8))
        z = count + (rows[:, n - 1].astype(U64) << U64(2))
        return _shift_mix(y * K2 ^ z * K0) * K2
    return np.full(len(rows), K2, dtype=U64)


def _medium(rows: np.ndarray, n: int):
    """Hash of 17 to 64 bytes."""
    mul = K2 + U64(n) * U64(2)
    c = _fetch64(rows, n - 8) * mul
    d = _fetch64(rows, n - 16) * K2
    if n <= 32:
        a = _fetch64(rows, 0) * K1
        b = _fetch64(rows, 8)
        return _len16(
            _rot(a + b, 43) + _rot(c, 30) + d, a + _rot(b + K2, 18) + c, mul
        )
    a = _fetch64(rows, 0) * K2
    b = _fetch64(rows, 8)
    y = _rot(a + b, 43) + _rot(c, 30) + d
    z = _len16(y, a + _rot(b + K2, 18) + c, mul)
    e = _fetch64(rows, 16) * mul
    f = _fetch64(rows, 24)
    g = (y + _fetch64(rows, n - 32)) * mul
    h = (z + _fetch64(rows, n - 24)) * mul
    return _len16(
        _rot(e + f, 43) + _rot(g, 30) + h, e + _rot(f + a, 18) + g, mul
    )


def _weak32(rows: np.ndarray, at: int, a, b):
    w, x = _fetch64(rows, at), _fetch64(rows, at + 8)
    y, z = _fetch64(rows, at + 16), _fetch64(rows, at + 24)
    a = a + w
    b = _rot(b + a + z, 21)
    c = a
    a = a + x + y
    b = b + _rot(a, 44)
    return a + z, b + c


def _long(rows: np.ndarray, n: int):
    """Hash of more than 64 bytes: 64-byte rounds over a 56-byte state."""
    size = len(rows)
    seed = U64(81)
    x = np.full(size, seed, dtype=U64)
    y = np.full(size, seed * K1 + U64(113), dtype=U64)
    z = _shift_mix(y * K2 + U64(113)) * K2
    v = (np.zeros(size, U64), np.zeros(size, U64))
    w = (np.zeros(size, U64), np.zeros(size, U64))
    x = x * K2 + _fetch64(rows, 0)
    end = ((n - 1) // 64) * 64
    for at in range(0, end, 64):
        x = _rot(x + y + v[0] + _fetch64(rows, at + 8), 37) * K1
        y = _rot(y + v[1] + _fetch64(rows, at + 48), 42) * K1
        x = x ^ w[1]
        y = y + v[0] + _fetch64(rows, at + 40)
        z = _rot(z + w[0], 33) * K1
        v = _weak32(rows, at, v[1] * K1, x + w[0])
        w = _weak32(rows, at + 32, z + w[1], y + _fetch64(rows, at + 16))
        z, x = x, z
    last = n - 64
    mul = K1 + ((z & U64(0xFF)) << U64(1))
    w0 = w[0] + U64((n - 1) & 63)
    v0 = v[0] + w0
    w0 = w0 + v0
    x = _rot(x + y + v0 + _fetch64(rows, last + 8), 37) * mul
    y = _rot(y + v[1] + _fetch64(rows, last + 48), 42) * mul
    x = x ^ (w[1] * U64(9))
    y = y + v0 * U64(9) + _fetch64(rows, last + 40)
    z = _rot(z + w0, 33) * mul
    v = _weak32(rows, last, v[1] * mul, x + w0)
    w = _weak32(rows, last + 32, z + w[1], y + _fetch64(rows, last + 16))
    z, x = x, z
    return _len16(
        _len16(v[0], w[0], mul) + _shift_mix(y) * K0 + z,
        _len16(v[1], w[1], mul) + x,
        mul,
    )


def _farm_rows(rows: np.ndarray, n: int):
    if n <= 16:
        return _short(rows, n)
    if n <= 64:
        return _medium(rows, n)
    return _long(rows, n)


def _sip_round(v0, v1, v2, v3):
    v0 = v0 + v1
    v1 = _rot(v1, 64 - 13) ^ v0
    v0 = _rot(v0, 64 - 32)
    v2 = v2 + v3
    v3 = _rot(v3, 64 - 16) ^ v2
    v0 = v0 + v3
    v3 = _rot(v3, 64 - 21) ^ v0
    v2 = v2 + v1
    v1 = _rot(v1, 64 - 17) ^ v2
    v2 = _rot(v2, 64 - 32)
    return v0, v1, v2, v3


def _sip_rows(rows: np.ndarray, n: int, key: tuple):
    """SipHash-2-4 with the 128-bit key `(k0, k1)`."""
    k0, k1 = U64(key[0]), U64(key[1])
    size = len(rows)
    v = [
        np.full(size, k0 ^ U64(0x736F6D6570736575), U64),
        np.full(size, k1 ^ U64(0x646F72616E646F6D), U64),
        np.full(size, k0 ^ U64(0x6C7967656E657261), U64),
        np.full(size, k1 ^ U64(0x7465646279746573), U64),
    ]
    tail = n % 8
    # The last block: the remaining bytes, then the length in the top byte.
    padded = np.zeros((size, n - tail + 8), np.uint8)
    padded[:, :n] = rows
    padded[:, -1] = n & 0xFF
    for at in range(0, n - tail + 8, 8):
        m = _fetch64(padded, at)
        v[3] = v[3] ^ m
        for _ in range(2):
            v = list(_sip_round(*v))
        v[0] = v[0] ^ m
    v[2] = v[2] ^ U64(0xFF)
    for _ in range(4):
        v = list(_sip_round(*v))
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _by_length(strings, hash_rows) -> np.ndarray:
    """Apply `hash_rows(rows, n)` to each group of equal-length strings."""
    data = [s if isinstance(s, bytes) else s.encode("utf-8") for s in strings]
    out = np.empty(len(data), dtype=U64)
    lengths = np.fromiter(
        (len(s) for s in data), dtype=np.int64, count=len(data)
    )
    for n in np.unique(lengths):
        where = np.flatnonzero(lengths == n)
        joined = b"".join(data[i] for i in where)
        rows = np.frombuffer(joined, np.uint8).reshape(len(where), int(n))
        if n == 0:
            rows = np.zeros((len(where), 0), np.uint8)
        with np.errstate(over="ignore"):
            out[where] = hash_rows(rows, int(n))
    return out


def fingerprint64(strings: Any) -> np.ndarray:
    """FarmHash `Fingerprint64` of each string (str as UTF-8, or bytes)."""
    return _by_length(strings, _farm_rows)


def siphash64(strings: Any, key: Any) -> np.ndarray:
    """SipHash-2-4 of each string, keyed by `key = (k0, k1)`."""
    return _by_length(strings, lambda rows, n: _sip_rows(rows, n, key))


def fingerprint_cat64(first: Any, second: Any) -> np.ndarray:
    """TensorFlow's `FingerprintCat64`: combines two fingerprints."""
    first = np.asarray(first, dtype=U64)
    second = np.asarray(second, dtype=U64)
    with np.errstate(over="ignore"):
        result = first ^ CAT_MUL
        result = result ^ (_shift_mix(second * CAT_MUL) * CAT_MUL)
        result = result * CAT_MUL
        result = _shift_mix(result) * CAT_MUL
        return _shift_mix(result)


def as_strings(values: np.ndarray) -> list:
    """TensorFlow's `as_string` for an integer array (floats truncated to
    int64 first, as Keras does), flattened."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        values = values.astype(np.int64)
    return [str(int(v)) for v in values.reshape(-1)]


def hash_to_bins(strings: Any, num_bins: int, salt: Any = None) -> np.ndarray:
    """Bin of each string in `[0, num_bins)`: `Fingerprint64 % num_bins`,
    or SipHash keyed by `salt` when given (Keras's `Hashing`)."""
    hashes = (
        fingerprint64(strings) if salt is None else siphash64(strings, salt)
    )
    return (hashes % U64(num_bins)).astype(np.int64)
