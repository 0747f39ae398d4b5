"""gzip for cached pages with per-request parts, without compressing the whole page per request.

The static parts of a cached page are deflated once, when it is stored, each as an independent
run of deflate blocks (a fresh compressor ending with a full flush: nothing refers back across a
part). Per request only the small fragment values are deflated; the gzip member is the header,
the parts and values in order, an empty final block, and the CRC-32 and length of the whole page.
The per-request values (a masked CSRF token, a cart count) go in *stored* (uncompressed) deflate
blocks: no compressor to set up per request, and they share no dictionary with text a visitor
controls (a reflected search query), so the BREACH side channel has nothing to measure.
"""

from __future__ import annotations

import re
import struct
import zlib

HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, no mtime, OS unknown
FINAL_BLOCK = b"\x03\x00"  # an empty final block with fixed Huffman codes
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
STORED_LEVEL = 6  # the stored parts: once per entry, so worth a good ratio
STORED_MAX = 0xFFFF  # the largest stored block


def deflate_part(data: bytes, level: int = STORED_LEVEL) -> bytes:
    """``data`` as a self-contained, non-final run of raw deflate blocks."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def deflate_parts(parts: list[bytes]) -> list[bytes]:
    """Each static part deflated on its own (see :func:`deflate_part`)."""
    return [deflate_part(part) for part in parts]


def assemble(deflated_parts: list[bytes], values: list[bytes], raw: bytes) -> bytes:
    """The gzip member of ``raw`` = parts[0] values[0] parts[1] ... from pre-deflated parts."""
    out = [HEADER, deflated_parts[0]]
    for value, part in zip(values, deflated_parts[1:], strict=True):
        out.extend(stored_blocks(value))
        out.append(part)
    out.append(FINAL_BLOCK)
    out.append(struct.pack("<II", zlib.crc32(raw) & 0xFFFFFFFF, len(raw) & 0xFFFFFFFF))
    return b"".join(out)


def stored_blocks(data: bytes) -> list[bytes]:
    """``data`` as non-final stored deflate blocks (byte-aligned: every part ends with a flush)."""
    blocks = []
    for start in range(0, len(data), STORED_MAX):
        chunk = data[start : start + STORED_MAX]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return blocks


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (Django's GZipMiddleware rule)."""
    return bool(ACCEPTS_GZIP.search(accept_encoding or ""))
