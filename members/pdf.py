"""Pages as PDF, rendered on the server by WeasyPrint: the one place for the member value report,
the region report (overview/reports) and the fact sheets. On the ground floor so every app uses it.

WeasyPrint fetches every URL a document names (stylesheets, images, fonts). The fetcher here
serves only the project's own static files from disk and refuses everything else (http, https,
file, data …): a report never makes a network request, so nothing in its content can point the
server at another host (SSRF) or read a file outside the static files.
"""

from __future__ import annotations

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Every document's base URL: relative and root-relative URLs resolve below it.
BASE_URL = "https://sba-portal.invalid/"


class StaticFilesOnly(URLFetcher):
    """Serves /static/… from the static files (finders, or the collected files); refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if parts.scheme != "https" or parts.netloc != urlsplit(BASE_URL).netloc or not parts.path.startswith(prefix):
            raise ValueError(f"Only the portal's static files are fetched, not {url[:80]}")
        name = posixpath.normpath(unquote(parts.path[len(prefix) :]))
        if name.startswith(("/", "..")) or "\\" in name:
            raise ValueError(f"Not a static file: {url[:80]}")
        path = finders.find(name) or (staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None)
        if not path:
            raise ValueError(f"No such static file: {name}")
        with open(path, "rb") as file:
            body = file.read()
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def render_pdf(html: str) -> bytes:
    """The HTML document as PDF bytes (links to static files resolve below BASE_URL)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


def page_count(html: str) -> int:
    """How many pages the document lays out to (for tests and measurements)."""
    return len(HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render().pages)
