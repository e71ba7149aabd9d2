"""The only URL fetcher the PDF renderer uses: the project's bundled static files, nothing else.

Report HTML carries enterprise names, products and answers typed by users. Templates escape
them, and this fetcher is the second wall: whatever URL reaches WeasyPrint (`file:`, `http:`,
`https:`, `data:`, another host, a path escaping static/), only `report-static:<path>` under
the static folder is served, and only files of the types a report needs.
"""
import mimetypes
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from config import ROOT

SCHEME = "report-static:"
STATIC_DIR = ROOT / "static"
ALLOWED_SUFFIXES = {".css", ".svg", ".png", ".jpg", ".jpeg"}


class RefusedURL(ValueError):
    """A URL the report renderer does not fetch."""


class StaticFetcher(URLFetcher):
    """Serve `report-static:<path>` from the static folder; refuse every other URL.

    `requested` records every URL WeasyPrint asked for, `refused` those it was denied, so
    callers (and tests) can see exactly what was fetched.
    """

    def __init__(self, static_dir=STATIC_DIR):
        super().__init__(allowed_protocols=())
        self.static_dir = Path(static_dir).resolve()
        self.requested = []
        self.refused = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        try:
            path = self.resolve(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    def resolve(self, url):
        """The file under the static folder that `url` names, or RefusedURL."""
        if not isinstance(url, str) or not url.startswith(SCHEME):
            raise RefusedURL(f"report renderer refuses {str(url)[:80]!r}: only bundled static files")
        relative = url[len(SCHEME):].split("?", 1)[0].split("#", 1)[0].lstrip("/")
        path = (self.static_dir / relative).resolve()
        if not path.is_relative_to(self.static_dir) or path.suffix.lower() not in ALLOWED_SUFFIXES \
                or not path.is_file():
            raise RefusedURL(f"report renderer refuses {url[:80]!r}: not a bundled static file")
        return path
