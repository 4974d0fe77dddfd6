"""PDFs made by core.pdf: offline, cached by their HTML, and with a font for every script a name may be in."""

import io
import logging

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


# The languages the public pages are offered in, with English: a sentence each, as a shortlist would print them.
SENTENCES = {
    "English": "Free advice on housing and money, open on Tuesdays.",
    "Urdu": "رہائش اور پیسوں کے بارے میں مفت مشورہ، منگل کو کھلا ہے۔",
    "Bengali": "বাসস্থান ও টাকা নিয়ে বিনামূল্যে পরামর্শ, মঙ্গলবার খোলা।",
    "Polish": "Bezpłatne porady w sprawie mieszkań i pieniędzy, czynne we wtorki: żółć, źdźbło, łąka.",
}


def _missing_glyphs(caplog, html: str) -> list[str]:
    """The characters WeasyPrint drew as .notdef (the empty box a font shows for a character it lacks) while
    making the PDF of ``html``: it logs each one, while the PDF's text layer still says what was meant, so
    extracting the text back could not tell."""
    cache.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        html_to_pdf(html)
    return [record.getMessage() for record in caplog.records if ".notdef" in record.getMessage()]


def test_english_urdu_bengali_and_polish_are_printed_with_no_glyph_missing(caplog):
    html = _document("".join(f"<p>{text}</p>" for text in SENTENCES.values()))

    assert _missing_glyphs(caplog, html) == []
    fonts = _fonts(html_to_pdf(html))
    assert any("Noto" in font and "Bengali" in font for font in fonts), fonts
    assert any("Noto" in font and ("Arabic" in font or "Urdu" in font) for font in fonts), fonts


def test_the_check_finds_a_character_no_font_has(caplog):
    """The check above would catch an empty box: a private-use character has a glyph in no installed font."""
    assert _missing_glyphs(caplog, _document("<p>Mark: \ue000</p>"))
