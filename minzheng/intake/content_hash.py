"""The content hash of a file's facts, for duplicate detection, without pandas.

Batches store `content_hash`: SHA-256 of the sorted row hashes of seven fact columns, the row
hashes being those of `pandas.util.hash_pandas_object(facts[cols], index=False)` on the facts as
`pyarrow.Table.to_pandas()` gives them. Stored hashes must keep matching new files, so this
module computes exactly those numbers from the Arrow table with numpy (pandas takes longer to
import than a whole ledger takes to check):

- a number column: its bits as unsigned 64-bit (a narrower integer zero-extended; a float's NaN
  and -0.0 made canonical; an integer column with nulls becomes float64 first, as in pandas),
  then mixed (splitmix64's finaliser);
- any other column (text, dates): each distinct value's SipHash-2-4 (key "0123456789123456")
  of its UTF-8 text (a date as YYYY-MM-DD), mixed; a null hashes to 2**64 - 1;
- the columns combined per row as CPython hashes a tuple (pandas' `combine_hash_arrays`).

tests/intake/test_content_hash.py checks the result against pandas itself.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

COLUMNS = ("unit_id", "indicator_key", "year", "month", "activity_date", "quantity", "person_hash")
_KEY = b"0123456789123456"  # pandas' default hash key
_K0, _K1 = np.frombuffer(_KEY, dtype="<u8")
_U8MAX = np.uint64(2**64 - 1)


def content_hash(table: pa.Table) -> str:
    """Hash of what the file says, independent of file name, row order and layout."""
    row_hashes = np.sort(combine([column_hash(table.column(c)) for c in COLUMNS], table.num_rows))
    return hashlib.sha256(row_hashes.tobytes()).hexdigest()


def combine(arrays: list[np.ndarray], length: int) -> np.ndarray:
    """Row hashes from column hashes, as pandas' combine_hash_arrays (CPython's tuple hash)."""
    if not arrays:
        return np.full(length, 0x345678 + 97531, dtype=np.uint64)
    n = len(arrays)
    mult = 1000003
    out = np.zeros(length, dtype=np.uint64) + np.uint64(0x345678)
    for i, a in enumerate(arrays):
        inverse = n - i
        out ^= a
        out *= np.uint64(mult)
        mult = (mult + 82520 + inverse + inverse) % 2**64
    out += np.uint64(97531)
    return out


def _mix(vals: np.ndarray) -> np.ndarray:
    vals ^= vals >> np.uint64(30)
    vals *= np.uint64(0xBF58476D1CE4E5B9)
    vals ^= vals >> np.uint64(27)
    vals *= np.uint64(0x94D049BB133111EB)
    vals ^= vals >> np.uint64(31)
    return vals


def column_hash(column: pa.ChunkedArray) -> np.ndarray:
    """The per-row hashes pandas gives the column `column.to_pandas()`."""
    kind = column.type
    if pa.types.is_integer(kind) and column.null_count == 0:
        values = column.to_numpy()
        return _mix(values.view(f"u{values.dtype.itemsize}").astype(np.uint64))
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        values = column.to_numpy()  # nulls come out as NaN
        if values.dtype.kind != "f":
            values = values.astype(np.float64)
        bits = values.view(f"u{values.dtype.itemsize}").astype(np.uint64)
        nan_bits = np.array(np.nan, dtype=values.dtype).view(f"u{values.dtype.itemsize}")
        bits[np.isnan(values)] = nan_bits
        bits[bits == np.array(-0.0, dtype=values.dtype).view(f"u{values.dtype.itemsize}")] = 0
        return _mix(bits)
    # Everything else pandas hashes by distinct value (its "categorize" path): text and dates.
    encoded = pc.dictionary_encode(column.combine_chunks())
    texts = [str(v) for v in encoded.dictionary.to_pylist()]
    hashed = _mix(siphash24([t.encode("utf-8") for t in texts]))
    indices = encoded.indices
    if len(hashed):
        result = hashed.take(indices.fill_null(0).to_numpy())
    else:
        result = np.zeros(len(indices), dtype=np.uint64)
    if indices.null_count:
        result[indices.is_null().to_numpy(zero_copy_only=False)] = _U8MAX
    return result


def _rotl(x: np.ndarray, b: int) -> np.ndarray:
    return (x << np.uint64(b)) | (x >> np.uint64(64 - b))


def _rounds(v0, v1, v2, v3, n):
    for _ in range(n):
        v0 += v1
        v1 = _rotl(v1, 13)
        v1 ^= v0
        v0 = _rotl(v0, 32)
        v2 += v3
        v3 = _rotl(v3, 16)
        v3 ^= v2
        v0 += v3
        v3 = _rotl(v3, 21)
        v3 ^= v0
        v2 += v1
        v1 = _rotl(v1, 17)
        v1 ^= v2
        v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash24(items: list[bytes]) -> np.ndarray:
    """SipHash-2-4 of each byte string with pandas' key, vectorised over strings of one length."""
    result = np.zeros(len(items), dtype=np.uint64)
    by_length: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        by_length.setdefault(len(item), []).append(i)
    for length, where in by_length.items():
        words = length // 8 + 1
        buffer = bytearray()
        for i in where:  # each string padded with zeros, its length in the last byte
            block = bytearray(words * 8)
            block[:length] = items[i]
            block[-1] = length & 0xFF
            buffer += block
        m = np.frombuffer(bytes(buffer), dtype="<u8").reshape(len(where), words).astype(np.uint64)
        v0 = np.full(len(where), _K0 ^ np.uint64(0x736F6D6570736575), dtype=np.uint64)
        v1 = np.full(len(where), _K1 ^ np.uint64(0x646F72616E646F6D), dtype=np.uint64)
        v2 = np.full(len(where), _K0 ^ np.uint64(0x6C7967656E657261), dtype=np.uint64)
        v3 = np.full(len(where), _K1 ^ np.uint64(0x7465646279746573), dtype=np.uint64)
        for w in range(words):
            word = m[:, w]
            v3 ^= word
            v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 2)
            v0 ^= word
        v2 ^= np.uint64(0xFF)
        v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 4)
        result[np.array(where, dtype=np.intp)] = v0 ^ v1 ^ v2 ^ v3
    return result
