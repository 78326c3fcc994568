"""IDX, MNIST's file format, written and read strictly: a magic number, the sizes, then unsigned bytes.

    data = encode(images)          # (N,28,28) uint8 -> bytes, magic 0x00000803
    images = decode(data, ndim=3)  # raises IdxError with a sentence on any mismatch

Only unsigned-byte IDX (type 0x08), the kind MNIST's four files use.
"""
from __future__ import annotations

import struct

import numpy as np

UBYTE = 0x08


class IdxError(ValueError):
    """The bytes are not a well-formed unsigned-byte IDX file of the expected shape."""


def encode(array: np.ndarray) -> bytes:
    """(N, ...) uint8 -> IDX bytes: 0x0000, type 0x08, ndim, then each size as a big-endian uint32."""
    values = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">HBB", 0, UBYTE, values.ndim) + struct.pack(f">{values.ndim}I", *values.shape)
    return header + values.tobytes()


def decode(data: bytes, ndim: int, name: str = "the file") -> np.ndarray:
    """IDX bytes -> uint8 array with `ndim` dimensions; IdxError says what is wrong."""
    if len(data) < 4:
        raise IdxError(f"{name} is too short to be an IDX file ({len(data)} bytes).")
    zero, kind, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != UBYTE:
        raise IdxError(f"{name} is not an unsigned-byte IDX file (its header starts {data[:4].hex()}).")
    if dims != ndim:
        raise IdxError(f"{name} has {dims} dimensions; expected {ndim}.")
    if len(data) < 4 + 4 * dims:
        raise IdxError(f"{name} ends inside its header.")
    shape = struct.unpack(f">{dims}I", data[4 : 4 + 4 * dims])
    body = data[4 + 4 * dims :]
    expected = int(np.prod(shape, dtype=np.int64))
    if len(body) != expected:
        raise IdxError(f"{name} holds {len(body):,} bytes of values; its header {shape} says {expected:,}.")
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)
