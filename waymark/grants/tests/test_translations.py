"""The public grants pages and the application form are complete in every offered language, as the feedback
form is.

The messages checked are every message the public pages look up while they are shown (the list, a
programme's page with its checker passed, failed and left unanswered, the statistics with and without
figures; the form started, each step shown, a step sent empty, the lost-link pages, a refused link, the
award letter: caught by watching the translation catalogue), plus every message written in those pages' own
source files and in the e-mails to applicants, so a branch no visit reaches is covered too. In each offered
language each must be translated, not fuzzy, and not identical to the English, except for names on the
allow-list.

(The checker is written out again here rather than imported from voice's tests: grants imports no other
domain app, its tests included.)
"""

import datetime
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from waymark.core.choices import CommunityKind
from waymark.core.models import Community
from waymark.grants.award_letters import award_letter_html
from waymark.grants.choices import ApplicationStatus
from waymark.grants.drafts import STEPS
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, ProgrammeFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "waymark" / "locale"
ENGLISH = settings.LANGUAGE_CODE
OFFERED = [code for code, _name in settings.LANGUAGES if code != ENGLISH]
# The public pages' own source files: every message written in them must be translated.
PUBLIC_SOURCES = (
    "waymark/grants/views/public.py",
    "waymark/grants/forms_checker.py",
    "waymark/grants/public_statistics.py",
    "waymark/templates/grants/public/",
    # The application form, the award letter and every e-mail to an applicant.
    "waymark/grants/views/apply.py",
    "waymark/grants/forms_apply.py",
    "waymark/grants/award_letters.py",
    "waymark/templates/grants/apply/",
    "waymark/templates/grants/award_letter_pdf.html",
    "waymark/templates/email/grants_",
)
# The same in every language: names, and punctuation (Django's label suffix).
ALLOW_IDENTICAL = {"Waymark", ":"}


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


def public_world() -> dict[str, object]:
    """An open programme with applications decided and pending, one closed and one not open yet."""
    today = timezone.localdate()
    programme = ProgrammeFactory(code="translated-seed")
    community = Community.objects.create(name="Translated community", kind=CommunityKind.LANGUAGE)
    for _ in range(10):
        application = ApplicationFactory(programme=programme, status=ApplicationStatus.AWARDED)
        application.communities.add(community)
        GrantDecisionFactory(application=application, award_date=today)
    ApplicationFactory.create_batch(3, programme=programme, status=ApplicationStatus.IN_ASSESSMENT)
    closed = ProgrammeFactory(
        code="translated-closed",
        opens_on=today - datetime.timedelta(days=120),
        closes_on=today - datetime.timedelta(days=60),
        decision_by=today - datetime.timedelta(days=30),
        payment_by=today - datetime.timedelta(days=20),
    )
    ProgrammeFactory(code="translated-coming", opens_on=today + datetime.timedelta(days=10))
    return {"programme": programme, "closed": closed}


def visit_public_pages(client, lang: str, world: dict) -> None:
    """Everything a member of the public can see of the grants, in ``lang``."""
    programme, closed = world["programme"], world["closed"]
    assert client.get(reverse("grants:public_programme_list"), HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    url = reverse("grants:public_programme", kwargs={"lang": lang, "code": programme.code})
    question = programme.eligibility_questions.get()
    answers = ({}, {"check": "1"}, {"check": "1", f"q{question.pk}": "no"}, {"check": "1", f"q{question.pk}": "yes"})
    for query in answers:
        assert client.get(url, query).status_code == 200
    assert client.get(reverse("grants:public_programme", kwargs={"lang": lang, "code": closed.code})).status_code == 200
    for shown in (programme, closed):
        statistics = reverse("grants:public_programme_statistics", kwargs={"lang": lang, "code": shown.code})
        assert client.get(statistics).status_code == 200


def visit_apply_pages(client, lang: str, world: dict) -> None:
    """The applicant's form in ``lang``: started, every step, a step sent empty, the lost-link pages, a link
    that does not work; then the award letter of an application made in ``lang``."""
    programme = world["programme"]
    start = reverse("grants:apply_start", kwargs={"lang": lang, "code": programme.code})
    assert client.get(start).status_code == 200
    started = client.post(start, {"contact_name": "Applicant", "contact_email": "applicant@example.org"})
    assert started.status_code == 302, "the form was not started"
    group_url = started["Location"]
    draft = group_url.removesuffix("group/")
    for step in STEPS:
        assert client.get(f"{draft}{step}/").status_code == 200
    assert client.post(group_url, {"continue": "1"}).status_code == 200  # refused: the errors are shown
    assert client.post(f"{draft}check/", {}).status_code == 200  # not confirmed: still to fill in
    lost = reverse("grants:apply_lost_link", kwargs={"lang": lang})
    assert client.get(lost).status_code == 200
    assert client.post(lost, {"email": "applicant@example.org"}, follow=True).status_code == 200
    refused = reverse("grants:apply_resume", kwargs={"lang": lang, "token": "not-a-link"})
    assert client.get(refused).status_code == 404  # the refusal page, with the lost-link form
    decision = GrantDecisionFactory(application=ApplicationFactory(programme=programme, language=lang))
    assert award_letter_html(decision)


@pytest.fixture
def watched_messages(client, monkeypatch) -> Iterator[CatalogueWatcher]:
    # One request first, so messages other modules look up once when they are first imported are not counted.
    client.get(reverse("grants:public_programme_list"))
    watcher = CatalogueWatcher()
    watcher.install(monkeypatch)
    cache.clear()
    yield watcher
    cache.clear()


def source_messages(po: polib.POFile) -> set[str]:
    """Message ids whose source references include one of the public pages' files."""
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
def test_every_public_grants_message_is_translated(client, watched_messages, lang):
    world = public_world()
    visit_public_pages(client, lang, world)
    visit_apply_pages(client, lang, world)
    assert watched_messages.singular, "the watcher saw no messages, so the test would prove nothing"
    problems = problems_in(lang, watched_messages.singular, watched_messages.plural)
    assert not problems, f"{lang}: {len(problems)} messages need translating:\n" + "\n".join(problems)
