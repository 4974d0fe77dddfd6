""" "You said, we did": what the public may see, and what it must never see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waymark.core.models import Language, Theme
from waymark.voice.factories import FeedbackItemFactory, ItemDemographicsFactory
from waymark.voice.factories_escalations import EscalationFactory, IssueFactory, ResponseFactory
from waymark.voice.language import ISO639_3_TO_BCP47
from waymark.voice.models import Escalation, FeedbackItem, Response

pytestmark = pytest.mark.django_db


def published_issue(*items, title="Appointments go ahead without an interpreter", **response_fields):
    issue = IssueFactory(title=title)
    issue.items.add(*items)
    response = ResponseFactory(escalation__issue=issue, published=True, **response_fields)
    return issue, response


def test_issue_page_quotes_only_consented_edited_words_and_never_demographics(client):
    quotable = FeedbackItemFactory(
        text="Dr Patel at the Hillside clinic never booked the interpreter I asked for.",
        public_quote="The clinic never booked the interpreter I asked for.",
        consent_to_publish=True,
    )
    private = FeedbackItemFactory(
        text="My neighbour on Acacia Road told me about her son.",
        public_quote="A neighbour told me about her son.",
        consent_to_publish=False,
        contact_name="Test Person",
        contact_email="person@example.org",
    )
    unsafe = FeedbackItemFactory(
        text="Someone is at risk at home tonight.",
        public_quote="Someone may be in danger.",
        consent_to_publish=True,
        safeguarding=True,
    )
    ItemDemographicsFactory(item=quotable, age_band="75_plus", gender="non_binary")
    issue, response = published_issue(quotable, private, unsafe)

    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()

    assert "The clinic never booked the interpreter I asked for." in page
    assert "Dr Patel" not in page and "Hillside" not in page  # the edited words, never the words as sent
    assert "Acacia Road" not in page and "A neighbour told me" not in page
    assert "at risk at home" not in page and "Someone may be in danger." not in page
    for personal in ("Test Person", "person@example.org", "75 or over", "Non-binary", quotable.reference):
        assert personal not in page
    assert response.what_changed in page


def test_consenting_words_are_not_quoted_until_staff_have_edited_them(client):
    raw = "My brother Tomasz at 12 Mill Lane waited five months for a Polish-speaking counsellor."
    item = FeedbackItemFactory(text=raw, consent_to_publish=True)
    issue, _response = published_issue(item)
    url = reverse("voice:you_said_we_did_issue", args=[issue.uuid])

    page = client.get(url).content.decode()
    assert "Tomasz" not in page and "Mill Lane" not in page
    assert "<blockquote" not in page
    assert "Quoted with the permission" not in page

    polish = Language.objects.get(code="pol")
    FeedbackItem.objects.filter(pk=item.pk).update(
        public_quote="A family member waited five months for a counsellor who speaks Polish.", original_language=polish
    )
    page = client.get(url).content.decode()
    assert "A family member waited five months for a counsellor who speaks Polish." in page
    assert '<blockquote class="nhsuk-inset-text" lang="pl" dir="auto">' in page
    assert "Tomasz" not in page and "Mill Lane" not in page


def test_a_quote_in_a_language_without_a_two_letter_code_has_no_lang(client):
    language = Language.objects.exclude(code__in=list(ISO639_3_TO_BCP47)).first()
    item = FeedbackItemFactory(consent_to_publish=True, public_quote="Edited words.", original_language=language)
    issue, _response = published_issue(item)

    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()

    assert '<blockquote class="nhsuk-inset-text" dir="auto"><p class="nhsuk-body">Edited words.</p>' in page


def test_a_safeguarding_item_is_never_quoted(client):
    item = FeedbackItemFactory(
        text="He hurts me when I go home.", public_quote="Edited words of concern.", consent_to_publish=True
    )
    FeedbackItem.objects.filter(pk=item.pk).update(safeguarding=True)
    issue, _response = published_issue(item)

    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()
    api = client.get(reverse("api:voice-issue-detail", args=[issue.uuid])).json()

    assert "Edited words of concern." not in page and "hurts me" not in page
    assert api["quotes"] == []


def test_issue_without_a_published_answer_is_not_public(client):
    issue = IssueFactory(title="Only staff know about this yet")
    ResponseFactory(escalation__issue=issue, published=False, text="A draft answer")

    assert client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).status_code == 404
    index = client.get(reverse("voice:you_said_we_did")).content.decode()
    assert "Only staff know about this yet" not in index


def test_only_published_answers_show_beside_a_published_one(client):
    issue, _published = published_issue(text="The answer we published")
    ResponseFactory(escalation__issue=issue, published=False, text="An answer still being checked")

    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()

    assert "The answer we published" in page
    assert "An answer still being checked" not in page


def test_counts_of_feedback_go_through_disclosure_control(client):
    theme = Theme.objects.get(slug="interpreting")
    few = [FeedbackItemFactory() for _ in range(3)]
    issue, _response = published_issue(*few)
    for _ in range(12):
        FeedbackItemFactory().themes.add(theme)

    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()
    assert "Pieces of feedback behind this issue:" in page
    assert "Hidden" in page.split("Pieces of feedback behind this issue:")[1][:400]

    index = client.get(reverse("voice:you_said_we_did"))
    counts = {row_theme.slug: count for row_theme, count in index.context["theme_counts"]}
    assert counts["access-to-services"].value == 10  # 12 rounded to the nearest 5
    assert counts["experience-of-care"].value == 0


def test_user_text_is_escaped(client):
    _issue, _response = published_issue(title="<script>alert('x')</script> waits")

    page = client.get(reverse("voice:you_said_we_did")).content.decode()

    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;" in page


def test_browse_by_theme_organisation_and_service(client):
    from waymark.directory.factories import ServiceFactory

    service = ServiceFactory()
    item = FeedbackItemFactory()
    item.services.add(service)
    issue, response = published_issue(item, title="Nobody rang back after the referral")
    issue.themes.add(Theme.objects.get(slug="waiting-times"))
    organisation = response.escalation.responder

    for url in (
        reverse("voice:you_said_we_did_theme", args=["access-to-services"]),
        reverse("voice:you_said_we_did_organisation", args=[organisation.uuid]),
        reverse("voice:you_said_we_did_service", args=[service.uuid]),
    ):
        assert "Nobody rang back after the referral" in client.get(url).content.decode(), url
    other_theme = client.get(reverse("voice:you_said_we_did_theme", args=["mental-health-act"])).content.decode()
    assert "Nobody rang back after the referral" not in other_theme


def test_timeliness_counts_on_time_late_waiting_and_overdue(client):
    from waymark.core.factories import OrganisationFactory

    trust = OrganisationFactory(name="Riverside Test Trust")
    today = timezone.localdate()
    on_time = ResponseFactory(escalation__responder=trust, escalation__due_on=today + datetime.timedelta(days=3))
    late = ResponseFactory(escalation__responder=trust, escalation__due_on=today - datetime.timedelta(days=3))
    Response.objects.filter(pk=late.pk).update(created_at=timezone.now())
    EscalationFactory(responder=trust, due_on=today + datetime.timedelta(days=10))
    EscalationFactory(responder=trust, due_on=today - datetime.timedelta(days=1))
    assert on_time and late

    response = client.get(reverse("voice:response_timeliness"))

    (row,) = [row for row in response.context["timeliness"] if row.organisation == trust]
    assert (row.sent, row.on_time, row.late, row.waiting, row.overdue) == (4, 1, 1, 1, 1)
    assert row.on_time_percent == 50
    assert "Riverside Test Trust" in response.content.decode()


def test_index_queries_do_not_grow_with_issues(client, django_assert_max_num_queries):
    for number in range(15):
        issue, _response = published_issue(FeedbackItemFactory(), title=f"Issue number {number}")
        issue.themes.add(Theme.objects.get(slug="interpreting"))

    with django_assert_max_num_queries(20):
        response = client.get(reverse("voice:you_said_we_did"))
    assert response.status_code == 200
    assert "Issue number 14" in response.content.decode()


def test_unpublished_services_are_not_listed(client):
    from waymark.directory.factories import ServiceFactory

    hidden_service = ServiceFactory(name="A draft service", published=False)
    item = FeedbackItemFactory()
    item.services.add(hidden_service)
    published_issue(item)

    response = client.get(reverse("voice:you_said_we_did"))

    assert response.context["services"] == []
    assert "A draft service" not in response.content.decode()
    assert client.get(reverse("voice:you_said_we_did_service", args=[hidden_service.uuid])).status_code == 404


def _escalations_for(trust, count, today):
    """``count`` escalations to ``trust`` of every kind: on time, late (also late only in local time),
    awaiting, overdue and closed unanswered."""
    for number in range(count):
        kind = number % 5
        if kind == 0:
            ResponseFactory(escalation__responder=trust, escalation__due_on=today + datetime.timedelta(days=2))
        elif kind == 1:
            # 23:30 UTC on the due date is already the next day in London in summer: late by the local date.
            late = ResponseFactory(escalation__responder=trust, escalation__due_on=datetime.date(2026, 7, 10))
            Response.objects.filter(pk=late.pk).update(
                created_at=datetime.datetime(2026, 7, 10, 23, 30, tzinfo=datetime.UTC)
            )
        elif kind == 2:
            EscalationFactory(responder=trust, due_on=today + datetime.timedelta(days=number))
        elif kind == 3:
            EscalationFactory(responder=trust, due_on=today - datetime.timedelta(days=number))
        else:
            EscalationFactory(responder=trust, due_on=today - datetime.timedelta(days=1), status="closed")


def _timeliness_by_hand(today):
    """The tallies worked out one escalation at a time, as the page used to."""
    tallies = {}
    for escalation in Escalation.objects.select_related("response"):
        tally = tallies.setdefault(
            escalation.responder_id, dict.fromkeys(("sent", "on_time", "late", "waiting", "overdue"), 0)
        )
        tally["sent"] += 1
        response = getattr(escalation, "response", None)
        if response is not None:
            tally["on_time" if timezone.localdate(response.created_at) <= escalation.due_on else "late"] += 1
        elif escalation.status == "awaiting":
            tally["overdue" if escalation.due_on < today else "waiting"] += 1
    return tallies


def test_timeliness_is_counted_in_the_database_whatever_the_number_of_escalations(client, django_assert_num_queries):
    from django.db.models.signals import post_init

    from waymark.core.factories import OrganisationFactory

    today = timezone.localdate()
    first, second = OrganisationFactory(name="First Test Trust"), OrganisationFactory(name="Second Test Trust")
    _escalations_for(first, 5, today)
    _escalations_for(second, 3, today)
    url = reverse("voice:response_timeliness")
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    _escalations_for(first, 25, today)
    _escalations_for(second, 12, today)
    loaded = []
    post_init.connect(lambda sender, instance, **kwargs: loaded.append(instance), sender=Escalation, weak=False)
    try:
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(url)
    finally:
        post_init.disconnect(sender=Escalation)

    assert loaded == [], "the page loaded escalations one by one"
    by_hand = _timeliness_by_hand(today)
    shown = {
        row.organisation.pk: {key: getattr(row, key) for key in ("sent", "on_time", "late", "waiting", "overdue")}
        for row in response.context["timeliness"]
    }
    assert shown == by_hand
    assert shown[first.pk]["sent"] == 30 and shown[first.pk]["late"] == 6
