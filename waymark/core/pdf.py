"""PDF documents made with WeasyPrint from ordinary templates.

The HTML carries its own styles, and the fetcher refuses every URL outside the site's static folder, so making a
PDF never reaches the network (a service's website or an e-mail link is written into the PDF, never fetched).

Making a PDF takes WeasyPrint seconds of CPU, so each one is cached for ``PDF_CACHE_SECONDS`` under the hash of
the HTML it is made from: the same content gives the same PDF at once, and any change to what the document
shows changes its HTML, so a cached PDF is never stale.
"""

import hashlib
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from waymark.core.file_headers import FileHeader, pdf_header_html

STATIC_SOURCE = Path(settings.BASE_DIR) / "waymark" / "static"


class OfflineFetcher:
    """WeasyPrint URL fetcher that serves files from the static folder and refuses everything else."""

    def __init__(self) -> None:
        from weasyprint.urls import URLFetcher

        self._fetcher = URLFetcher(allowed_protocols={"file"})

    def fetch(self, url: str, headers: Any = None) -> Any:
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or not path.is_relative_to(STATIC_SOURCE.resolve()):
            raise ValueError(_("PDFs may use only the site's own static files, not %(url)s.") % {"url": url})
        return self._fetcher.fetch(url, headers)


def with_file_header(html: str, header: FileHeader) -> str:
    """``html`` with the file's header block atop its body and its status line in every page's top margin.

    Put in here rather than in each template, so no PDF can leave it out."""
    style, block = pdf_header_html(header)
    html = html.replace("</head>", style + "</head>", 1)
    body = re.search(r"<body[^>]*>", html)
    if body is None:
        raise ValueError("A PDF's HTML needs a <body> for its header block.")
    return html[: body.end()] + block + html[body.end() :]


def html_to_pdf(html: str, *, header: FileHeader | None = None) -> bytes:
    """The PDF of a complete HTML document; relative URLs resolve inside the static folder. Given a
    ``header``, the file says what it is on its first page and its status on every page."""
    if header is not None:
        html = with_file_header(html, header)
    key = "pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf: bytes | None = cache.get(key)
    if pdf is None:
        from weasyprint import HTML  # imported here: loading Pango takes a moment, and most requests never need it

        document = HTML(string=html, base_url=STATIC_SOURCE.as_uri() + "/", url_fetcher=OfflineFetcher())
        pdf = document.write_pdf()
        cache.set(key, pdf, settings.PDF_CACHE_SECONDS)
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], *, header: FileHeader | None = None) -> bytes:
    return html_to_pdf(render_to_string(template_name, context), header=header)
