#!/usr/bin/env python3
"""Checks a screenshot: a valid PNG of the expected size that is not blank
and shows the given colours somewhere.

    png_check.py FILE WIDTHxHEIGHT [--colour RRGGBB]...

Valid: the signature, every chunk's CRC, an IHDR of 8-bit RGB or RGBA, and
image data that inflates to exactly the scanlines the size needs. Not blank:
at least 16 colours, and no colour on more than 97% of the pixels. A colour
is shown when at least 100 pixels have it exactly (a background of the page's
style sheet, such as the diff's deleted and inserted lines).

Pixel-exact comparison with a stored image is deliberately not done: text
rendering changes with the fonts and the Chromium version installed, while
these properties do not. Prints one line and exits 1 when a check fails.
"""
import argparse
import struct
import sys
import zlib
from collections import Counter


def chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG (bad signature)")
    pos = 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("bad CRC in chunk %r" % kind)
        yield kind, body
        pos += 12 + length


def pixels(data):
    """(width, height, rows of bytes per pixel) of an 8-bit RGB(A) PNG."""
    header, idat = None, b""
    for kind, body in chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if not header:
        raise ValueError("no IHDR")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("not 8-bit RGB(A) without interlace: %r" % (header,))
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise ValueError("image data of %d bytes for %dx%d" % (
            len(raw), width, height))
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif kind != 0:
            raise ValueError("bad filter %d on row %d" % (kind, y))
        rows.append(line)
        previous = line
    return width, height, bpp, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("size")
    parser.add_argument("--colour", action="append", default=[])
    args = parser.parse_args()
    want_w, want_h = map(int, args.size.split("x"))
    with open(args.file, "rb") as f:
        data = f.read()
    try:
        width, height, bpp, rows = pixels(data)
    except (ValueError, struct.error, zlib.error) as e:
        print("png: invalid: %s" % e)
        return 1
    counts = Counter()
    for line in rows:
        counts.update(bytes(line[i:i + 3]) for i in range(0, len(line), bpp))
    top = counts.most_common(1)[0][1] / (width * height)
    problems = []
    if (width, height) != (want_w, want_h):
        problems.append("size %dx%d, not %dx%d" % (width, height, want_w,
                                                   want_h))
    if len(counts) < 16 or top > 0.97:
        problems.append("blank: %d colours, the commonest on %.0f%%" % (
            len(counts), top * 100))
    for colour in args.colour:
        if counts[bytes.fromhex(colour)] < 100:
            problems.append("no %s (%d pixels)" % (
                colour, counts[bytes.fromhex(colour)]))
    if problems:
        print("png: " + "; ".join(problems))
        return 1
    print("png: %dx%d, %d colours, shows %s" % (
        width, height, len(counts), ", ".join(args.colour) or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
