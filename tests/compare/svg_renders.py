#!/usr/bin/env python3
"""Render an SVG in headless Chromium and check that it shows something.

usage: svg_renders.py FILE.svg MIN_PIXELS [RRGGBB]

Chromium takes a screenshot (PNG); this script decodes the PNG with the standard library
(zlib + the PNG filter rules) and counts pixels of one colour: the timeline's bar colour
unless RRGGBB names another (the sweep chart's first line has the same colour). It fails when
the picture is blank or Chromium cannot render the file. Stdlib only: no Pillow needed.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

BAR = (0x3B, 0x7D, 0xD8)  # .ok bars in compare/runs.cpp


def decode_png(data):
    """Return (width, height, rows of RGB tuples) for an 8-bit RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            if depth != 8 or colour not in (2, 6):
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    svg, minimum = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    colour = BAR if len(sys.argv) == 3 else tuple(bytes.fromhex(sys.argv[3]))
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found: apt-get install chromium (./tour.sh test installs it)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        shot = os.path.join(scratch, "shot.png")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", f"--user-data-dir={scratch}/profile", "--window-size=1000,900",
                   f"--screenshot={shot}", "file://" + svg]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
        if not os.path.exists(shot):
            print("chromium wrote no screenshot", file=sys.stderr)
            return 1
        width, height, rows = decode_png(open(shot, "rb").read())
    bar = sum(1 for row in rows for pixel in row if all(abs(p - q) <= 8 for p, q in zip(pixel, colour)))
    print(f"{width}x{height} screenshot, {bar} pixels of the colour (need {minimum})")
    return 0 if bar >= minimum else 1


if __name__ == "__main__":
    sys.exit(main())
