"""Rendered reports on disk, one file per cache key (a hash of every input).

A submitted assessment's report never changes: once written, the same key returns the same
bytes. Files are written to a temporary name and renamed, so a reader (the web process while
an RQ worker renders) never sees half a PDF.
"""
import os
import re
import tempfile
from pathlib import Path

_KEY = re.compile(r"^[0-9a-f]{64}$")


class ReportCache:
    """PDF bytes by cache key under `directory` (created on first write)."""

    def __init__(self, directory):
        self.directory = Path(directory)

    def path(self, key):
        if not _KEY.match(key or ""):
            raise ValueError(f"not a report cache key: {key!r}")
        return self.directory / key[:2] / f"{key}.pdf"

    def get(self, key):
        """The stored bytes, or None."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key, data):
        """Store `data` under `key` atomically; an existing file is left as it is."""
        target = self.path(key)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
