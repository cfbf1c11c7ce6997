"""What WeasyPrint may read while it renders a PDF: only the product's own static files.

WeasyPrint's default fetcher follows every URL in a document: `file:///etc/passwd` as a
PDF attachment (`<link rel="attachment">`), `http://127.0.0.1:…/` (a request from inside the
server, or data sent out in the URL). Letters hold text people typed (names, a newsletter),
so a fetcher that serves only files from STATIC_ROOT, STATICFILES_DIRS and the apps' static
folders, and refuses everything else (other files, http(s), data:), closes that door.
"""

import functools
import mimetypes
import os
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders


def static_roots() -> list[Path]:
    """Every folder our static files come from, symlinks resolved."""
    folders = [settings.STATIC_ROOT]
    for entry in settings.STATICFILES_DIRS:
        folders.append(entry[1] if isinstance(entry, (list, tuple)) else entry)
    folders += [Path(app.path) / "static" for app in apps.get_app_configs()]
    return [Path(os.path.realpath(folder)) for folder in folders if folder]


def static_file(url: str) -> Path | None:
    """The file a URL names, if it is one of our static files; else None.

    `file:///static/css/x.css` (what `{% static %}` gives, made absolute by WeasyPrint) is
    looked up like the site looks it up; any other file URL must lie inside a static folder.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = url2pathname(parts.path)
    static_prefix = urlsplit(settings.STATIC_URL).path
    try:
        if path.startswith(static_prefix):
            path = finders.find(path[len(static_prefix):]) or ""
    except Exception:  # SuspiciousFileOperation for ../ and the like
        return None
    if not path:
        return None
    real = Path(os.path.realpath(path))
    if not real.is_file() or not any(real.is_relative_to(root) for root in static_roots()):
        return None
    return real


@functools.cache
def _fetcher_class():
    # WeasyPrint loads only in workers (letters.py), so it is imported here, not at the top.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """Serves our static files from disk; any other URL is refused (WeasyPrint then
        leaves that image, stylesheet or attachment out and logs a warning)."""

        def fetch(self, url, headers=None):
            path = static_file(url)
            if path is None:
                raise ValueError("Only the product's own static files may be used in a PDF.")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes(),
                                      headers={"Content-Type": mime_type})

    return StaticFilesOnly


def static_files_fetcher():
    """A fetcher for `weasyprint.HTML(url_fetcher=…)` and `CSS(url_fetcher=…)`."""
    return _fetcher_class()(allowed_protocols=("file",), allow_redirects=False)
