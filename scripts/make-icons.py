#!/usr/bin/env python3
"""Draws the app icons (no image library needed): the brand green with three rising white
bars, as 192 and 512 px PNGs, plain (rounded corners) and maskable (full bleed, the mark
inside the 80 % safe zone). Run once; the PNGs are committed under public/icons/."""
import os
import struct
import zlib

GREEN = (0x0F, 0x5E, 0x4D)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "public", "icons")


def png(path, size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(pixel(x + 0.5, y + 0.5))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def bars(u, v):
    """Three bars rising towards the left, as the portal's charts read in Arabic (unit square)."""
    u = 1 - u
    for i, top in enumerate((0.55, 0.35, 0.15)):
        left = 0.12 + i * 0.28
        if left <= u <= left + 0.2 and top <= v <= 0.88:
            return True
    return False


def icon(size, maskable):
    radius = 0 if maskable else size * 0.18
    # The mark fills 60 % of a maskable icon (safe zone is 80 %), 70 % of a plain one.
    scale = 0.6 if maskable else 0.7
    inset = size * (1 - scale) / 2

    def pixel(x, y):
        if radius:
            cx = min(max(x, radius), size - radius)
            cy = min(max(y, radius), size - radius)
            if (x - cx) ** 2 + (y - cy) ** 2 > radius ** 2:
                return (0, 0, 0, 0)
        u, v = (x - inset) / (size * scale), (y - inset) / (size * scale)
        colour = WHITE if 0 <= u <= 1 and 0 <= v <= 1 and bars(u, v) else GREEN
        return (*colour, 255)

    return pixel


os.makedirs(OUT, exist_ok=True)
for size in (192, 512):
    png(os.path.join(OUT, f"icon-{size}.png"), size, icon(size, False))
    png(os.path.join(OUT, f"maskable-{size}.png"), size, icon(size, True))
