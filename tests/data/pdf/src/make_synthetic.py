#!/usr/bin/env python3
"""Writes the hand-made PDF fixtures of tests/data/pdf/: a scan (one image, no text), a
blank page (no text, no images) and a damaged file. Run from this folder; the output is
committed, so tests need no PDF tools."""
import zlib


def pdf(objects):
    """Returns a PDF whose objects are `objects` (bodies, numbered from 1)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


# A "scanned" page: a 32x32 grey image drawn over the page, no text operators at all.
pixels = bytes((x * 8 + y * 3) % 256 for y in range(32) for x in range(32))
image = zlib.compress(pixels)
scan = pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R "
    b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
    stream(b"", b"q 300 0 0 400 0 0 cm /Im1 Do Q"),
    stream(b"/Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceGray "
           b"/BitsPerComponent 8 /Filter /FlateDecode", image),
])
open("../scanned.pdf", "wb").write(scan)

# A page with a line drawing and nothing else.
blank = pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R >>",
    stream(b"", b"10 10 m 290 390 l S"),
])
open("../blank.pdf", "wb").write(blank)

# The start of a PDF and then nothing a parser can use.
open("../damaged.pdf", "wb").write(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + b"\x00\xff" * 40)
