"""Where the acceptance pack's files are kept: content-addressed by SHA-256 under EVIDENCE_DIR.

The one place projects touch file bytes, so the shared evidence store of on-site assessments can
replace it without changing its callers. Only PDF, PNG and JPEG are kept, checked by their first
bytes (a name or a declared type proves nothing).
"""
import hashlib
import re
from pathlib import Path

from services.errors import InvalidInput, NotFound

MAX_BYTES = 1024 * 1024  # the request limit (MAX_CONTENT_LENGTH) keeps bigger ones out anyway
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png",
              b"\xff\xd8\xff": "image/jpeg"}
_SHA = re.compile(r"^[0-9a-f]{64}$")


def content_type(raw: bytes) -> str | None:
    """The type the bytes really are, among those kept, or None."""
    return next((kind for head, kind in SIGNATURES.items() if raw.startswith(head)), None)


def put(raw: bytes, settings) -> tuple[str, str]:
    """(sha256, content type) of the stored bytes, or InvalidInput (`file_empty`,
    `file_too_large`, `file_type`); storing the same bytes twice keeps one copy."""
    if not raw:
        raise InvalidInput("file_empty")
    if len(raw) > MAX_BYTES:
        raise InvalidInput("file_too_large")
    kind = content_type(raw)
    if kind is None:
        raise InvalidInput("file_type")
    digest = hashlib.sha256(raw).hexdigest()
    path = _path(digest, settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(raw)
        partial.replace(path)  # atomic: a reader never sees half a file
    return digest, kind


def get(digest: str, settings) -> bytes:
    """The bytes stored under `digest`, or NotFound."""
    if not isinstance(digest, str) or not _SHA.match(digest):
        raise NotFound()
    try:
        return _path(digest, settings).read_bytes()
    except FileNotFoundError:
        raise NotFound() from None


def _path(digest: str, settings) -> Path:
    return Path(settings["EVIDENCE_DIR"]) / digest[:2] / digest
