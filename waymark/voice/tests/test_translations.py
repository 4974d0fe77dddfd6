"""The public feedback form is complete in every offered language.

The messages checked are every message the public pages actually look up while they are shown (the page,
its errors, the rate-limit answer, the reference pages: caught by watching the translation catalogue), plus
every message written in the public form's own source files (so branches a test does not reach are
covered too). In each offered language each must be translated, not fuzzy, and not identical to the
English, except for names on the allow-list. Each .po file's header says who reviewed it.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from waymark.voice.factories import FeedbackItemFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "waymark" / "locale"
ENGLISH = settings.LANGUAGE_CODE
OFFERED = [code for code, _name in settings.LANGUAGES if code != ENGLISH]
# The public form's own source files: every message written in them must be translated.
PUBLIC_SOURCES = (
    "waymark/voice/forms_public.py",
    "waymark/voice/views/public.py",
    "waymark/voice/choices_items.py",
    "waymark/templates/voice/public/",
)
# The same in every language: names, and punctuation (Django's label suffix).
ALLOW_IDENTICAL = {"Waymark", ":"}
REVIEWER = re.compile(r"^Waymark translation volunteers \((?P<language>[^)]+)\)$")


def po_file(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / translation.to_locale(lang) / "LC_MESSAGES" / "django.po"))


class CatalogueWatcher:
    """Records every message id looked up through Django's translation catalogue while installed."""

    def __init__(self) -> None:
        self.singular: set[str] = set()
        self.plural: set[tuple[str, str]] = set()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original_gettext = trans_real.DjangoTranslation.gettext
        original_ngettext = trans_real.DjangoTranslation.ngettext
        watcher = self

        def gettext(self: trans_real.DjangoTranslation, message: str) -> str:
            watcher.singular.add(message)
            return original_gettext(self, message)

        def ngettext(self: trans_real.DjangoTranslation, singular: str, plural: str, number: int) -> str:
            watcher.plural.add((singular, plural))
            return original_ngettext(self, singular, plural, number)

        monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
        monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)


def visit_public_pages(client, lang: str, settings, monkeypatch) -> None:
    """Everything a member of the public can see: the form, its errors, the rate limits, the reference pages and
    the page for a mistyped reference."""
    form_url = reverse("voice:feedback", kwargs={"lang": lang})
    assert client.get(form_url).status_code == 200
    invalid = {"text": "", "contact_email": "not an address", "consent_to_publish": "on"}
    assert client.post(form_url, invalid).status_code == 200
    assert client.post(form_url, {"text": "x" * 10_001}).status_code == 200
    response = client.post(form_url, {"text": "Something I want to say about the clinic."}, follow=True)
    assert response.status_code == 200
    item = response.context["item"]
    lookup_url = reverse("voice:reference_lookup", kwargs={"lang": lang})
    assert client.get(lookup_url).status_code == 200
    assert client.get(lookup_url, {"reference": "!!"}).status_code == 200
    assert client.get(lookup_url, {"reference": ""}).status_code == 200
    assert client.get(lookup_url, {"reference": "AAAAAAAAAA"}).status_code == 200
    assert client.get(lookup_url, {"reference": "A" * 41}).status_code == 200
    assert client.get(reverse("voice:reference", kwargs={"lang": lang, "reference": "AAAAAAAAAA"})).status_code == 404
    for status in ("new", "triaged", "grouped", "closed"):
        other = FeedbackItemFactory(status=status)
        assert client.get(other.get_public_url(lang)).status_code == 200
    assert client.get(item.get_public_url(lang)).status_code == 200
    settings.VOICE_FEEDBACK_RATE = "1/h"
    cache.clear()
    client.post(form_url, {"text": "First"})
    assert client.post(form_url, {"text": "Second"}).status_code == 429
    client.post(form_url, {"text": "Something", "website": "http://spam.example"})
    monkeypatch.setattr("waymark.voice.views.public.REFERENCE_LOOKUP_RATE", "1/h")
    client.get(lookup_url)
    assert client.get(lookup_url).status_code == 429


@pytest.fixture
def watched_messages(client, settings, monkeypatch) -> Iterator[CatalogueWatcher]:
    # One request first, so messages other modules look up once when they are first imported are not counted.
    client.get(reverse("voice:feedback", kwargs={"lang": ENGLISH}))
    watcher = CatalogueWatcher()
    watcher.install(monkeypatch)
    cache.clear()
    yield watcher
    cache.clear()


def source_messages(po: polib.POFile) -> set[str]:
    """Message ids whose source references include one of the public form's files."""
    return {
        entry.msgid
        for entry in po
        if not entry.obsolete and any(path.startswith(PUBLIC_SOURCES) for path, _line in entry.occurrences)
    }


def problems_in(lang: str, singular: set[str], plural: set[tuple[str, str]]) -> list[str]:
    po = po_file(lang)
    entries = {entry.msgid: entry for entry in po if not entry.obsolete}
    problems = []
    for msgid in sorted(singular | source_messages(po) | {one for one, _many in plural}):
        if not msgid.strip() or msgid in ALLOW_IDENTICAL:
            continue
        entry = entries.get(msgid)
        if entry is None:
            with translation.override(lang):
                if translation.gettext(msgid) == msgid:
                    problems.append(f"missing: {msgid!r}")
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(text.strip() for text in translations):
            problems.append(f"empty: {msgid!r}")
        elif any(text == msgid for text in translations):
            problems.append(f"identical to the English: {msgid!r}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("lang", OFFERED)
def test_every_public_form_message_is_translated(client, settings, monkeypatch, watched_messages, lang):
    visit_public_pages(client, lang, settings, monkeypatch)
    assert watched_messages.singular, "the watcher saw no messages, so the test would prove nothing"
    problems = problems_in(lang, watched_messages.singular, watched_messages.plural)
    assert not problems, f"{lang}: {len(problems)} messages need translating:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", OFFERED)
def test_each_translation_records_its_reviewer(lang):
    reviewed_by = po_file(lang).metadata.get("Reviewed-By", "")
    match = REVIEWER.match(reviewed_by)
    assert match, f"{lang}: the header needs 'Reviewed-By: Waymark translation volunteers (<language>)'"
    assert match["language"] == translation.get_language_info(lang)["name"]


def test_a_fuzzy_empty_or_copied_message_is_caught(tmp_path, monkeypatch):
    """The checker itself finds each kind of fault (so a passing run means something)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Send feedback", msgstr="Wyślij opinię", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Your age", msgstr=""))
    po.append(polib.POEntry(msgid="Your gender", msgstr="Your gender"))
    po.append(polib.POEntry(msgid="Your name", msgstr="Imię"))
    folder = tmp_path / "pl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "django.po"))
    monkeypatch.setattr(f"{__name__}.LOCALE_DIR", tmp_path)
    problems = problems_in("pl", {"Send feedback", "Your age", "Your gender", "Your name"}, set())
    assert problems == [
        "fuzzy: 'Send feedback'",
        "empty: 'Your age'",
        "identical to the English: 'Your gender'",
    ]
