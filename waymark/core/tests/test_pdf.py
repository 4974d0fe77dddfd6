"""PDFs made by core.pdf: offline, cached by their HTML, and with a font for every script a name may be in."""

import io

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from pypdf import PdfReader

from waymark.core.pdf import OfflineFetcher, html_to_pdf

# Names of community organisations as they may be written: Arabic, Urdu, Bengali, Gujarati, Punjabi
# (Gurmukhi), Tamil, Chinese.
NAMES = {
    "Arabic": "جمعية الصحة النفسية",
    "Urdu": "ذہنی صحت کی انجمن",
    "Bengali": "মানসিক স্বাস্থ্য সমিতি",
    "Gujarati": "માનસિક આરોગ્ય મંડળ",
    "Gurmukhi": "ਮਾਨਸਿਕ ਸਿਹਤ ਸਭਾ",
    "Tamil": "மனநல சங்கம்",
    "CJK": "心理健康协会",
}


def _document(body: str) -> str:
    fonts = render_to_string("core/_pdf_font_family.html")
    head = f'<meta charset="utf-8"><style>body {{ font-family: {fonts}; }}</style>'
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture(autouse=True)
def _no_cached_pdfs():
    cache.clear()


def test_the_font_list_names_noto_families_for_the_scripts_names_come_in():
    fonts = render_to_string("core/_pdf_font_family.html")

    for family in (
        "Noto Sans Arabic",
        "Noto Sans Bengali",
        "Noto Sans Gujarati",
        "Noto Sans Gurmukhi",
        "Noto Sans CJK SC",
    ):
        assert f'"{family}"' in fonts


def test_every_script_is_drawn_in_a_noto_font_not_left_as_empty_boxes():
    pdf = html_to_pdf(_document("".join(f"<p>{name}</p>" for name in NAMES.values())))

    fonts = _fonts(pdf)
    for script in ("Arabic", "Bengali", "Gujarati", "Gurmukhi", "Tamil", "CJK"):
        assert any("Noto" in font and script in font for font in fonts), (script, fonts)


def test_the_same_html_gives_the_cached_pdf_and_a_change_a_new_one(monkeypatch):
    from weasyprint import HTML

    made = []
    write_pdf = HTML.write_pdf
    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: made.append(1) or write_pdf(self))

    first = html_to_pdf(_document("<p>Plan</p>"))
    again = html_to_pdf(_document("<p>Plan</p>"))
    changed = html_to_pdf(_document("<p>Plan, updated</p>"))

    assert first == again and first != changed
    assert len(made) == 2


def test_a_pdf_never_fetches_from_the_network_or_outside_the_static_folder():
    fetcher = OfflineFetcher()

    for url in ("https://example.org/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="PDFs may use only the site's own static files"):
            fetcher.fetch(url)
