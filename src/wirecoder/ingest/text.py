"""Plain text: bytes to str with encoding detection."""

from __future__ import annotations

from charset_normalizer import from_bytes

from ..errors import IngestError


def decode_bytes(raw: bytes, where: str) -> str:
    """Decode `raw` as UTF-8 (with or without BOM), else in the encoding charset-normalizer finds most likely."""
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("looks like a binary file, not text", where)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None:
        raise IngestError("cannot detect the text encoding", where)
    return str(best)
