#!/usr/bin/python3
"""Writes pictures/1.png and pictures/2.png, the images mllm_demo.json points to: 4x4 PNGs of
one colour each, made here so that the media checks read real image files."""
import pathlib
import struct
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(rgb: tuple, size: int = 4) -> bytes:
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) +
            chunk(b"IEND", b""))


here = pathlib.Path(__file__).parent / "pictures"
here.mkdir(exist_ok=True)
(here / "1.png").write_bytes(png((200, 30, 30)))
(here / "2.png").write_bytes(png((30, 30, 200)))
