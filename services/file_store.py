"""Uploaded files (evidence, acceptance documents): checked by content, stored once per content.

`accept(stream, name, store)` reads an upload, refuses what is empty, larger than `MAX_BYTES` or
not one of the `ALLOWED` types *as told by its bytes* (a renamed executable stays an
executable), and puts it in a `FileStore` under its SHA-256, so the same file is kept once.
The database keeps only the returned `StoredFile` values; who may read a file is decided by the
caller (services.access), which then streams `store.open(sha256)` as an attachment.

`FileStore` is the small interface another backend (object storage) implements;
`LocalFileStore` keeps files under a directory (the setting `FILES_DIR`, `instance/files`).
"""
import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import filetype

from services.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
# Photos from phones and cameras, PDF, office documents (OOXML, the 97-2003 formats, ODF).
ALLOWED = {
    "image/jpeg": "jpg", "image/png": "png", "image/heic": "heic", "image/heif": "heif",
    "image/webp": "webp", "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc", "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
NAME_LENGTH = 200


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    name: str  # the uploader's file name, cleaned, for the download and the evidence list


class FileStore(Protocol):
    """Where file contents live, addressed by their SHA-256 (lower-case hex)."""

    def put(self, sha256: str, source_path: Path) -> None:
        """Keep the file at `source_path` under `sha256` (nothing happens when it is kept)."""

    def open(self, sha256: str) -> BinaryIO:
        """The content for reading; FileNotFoundError when it is not kept."""

    def exists(self, sha256: str) -> bool:
        ...

    def remove(self, sha256: str) -> bool:
        """Forget the content; False when it was not kept."""


class LocalFileStore:
    """Files under `root/ab/cd/<sha256>`: written to a temporary name, then renamed, so a
    half-written file never carries a content address."""

    def __init__(self, root):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise FileNotFoundError(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, sha256: str, source_path: Path) -> None:
        target = self.path(sha256)
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source_path, target)

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def remove(self, sha256: str) -> bool:
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True


def clean_name(name) -> str:
    """The file name for lists and downloads: no folders, no control characters, at most
    NAME_LENGTH characters; "file" when nothing is left."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base)
                   if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return base[-NAME_LENGTH:] or "file"


def media_type_of(head: bytes) -> str | None:
    """The allowed media type these first bytes show, or None."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in ALLOWED else None


def accept(stream: BinaryIO, name, store: FileStore, max_bytes: int = MAX_BYTES) -> StoredFile:
    """Read `stream` whole, check it and keep it in `store`. InvalidInput with code
    `file_empty`, `file_too_large` (params max_mb) or `file_type` (nothing is kept)."""
    digest, size, head = hashlib.sha256(), 0, b""
    root = getattr(store, "root", None)
    if root is not None:
        Path(root).mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, delete=False, prefix=".upload-") as tmp:
        tmp_path = Path(tmp.name)
        try:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidInput("file_too_large", max_mb=max_bytes // (1024 * 1024))
                if len(head) < 8192:
                    head += chunk[:8192 - len(head)]
                digest.update(chunk)
                tmp.write(chunk)
        except BaseException:
            tmp.close()
            tmp_path.unlink(missing_ok=True)
            raise
    try:
        if size == 0:
            raise InvalidInput("file_empty")
        media_type = media_type_of(head)
        if media_type is None:
            raise InvalidInput("file_type")
        sha256 = digest.hexdigest()
        store.put(sha256, tmp_path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return StoredFile(sha256=sha256, size=size, media_type=media_type, name=clean_name(name))


def store_for(settings) -> FileStore:
    """The application's file store: `FILES_DIR` (default `instance/files`)."""
    return LocalFileStore(settings["FILES_DIR"])
