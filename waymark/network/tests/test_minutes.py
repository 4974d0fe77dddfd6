"""The minutes workflow (draft → circulated → published), actions and the weekly overdue digest."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from waymark.core.models import EmailDelivery
from waymark.network.factories_meetings import (
    ActionFactory,
    ContactFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
)
from waymark.network.models import ActionStatus, MembershipRole, MinutesStatus
from waymark.network.services import minutes as service
from waymark.network.tasks_meetings import send_overdue_actions_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    network = NetworkFactory()
    MembershipFactory(network=network, contact=ContactFactory(name="Asha"))
    MembershipFactory(network=network, contact=ContactFactory(name="Bilal"))
    MembershipFactory(
        network=network, contact=ContactFactory(name="No consent", consent_to_contact=False, lawful_basis="")
    )
    MembershipFactory(
        network=network, contact=ContactFactory(name="Left"), left=timezone.localdate() - datetime.timedelta(days=1)
    )
    return MeetingFactory(network=network)


def test_minutes_go_from_draft_to_circulated_to_published(meeting, django_capture_on_commit_callbacks):
    minutes = service.save_minutes(actor=None, meeting=meeting, text="## Welcome\nAll welcomed.")
    assert minutes.status == MinutesStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        emailed = service.circulate_minutes(actor=None, minutes=minutes)
    assert emailed == 2  # current members who may be e-mailed: not the one without consent, not the one who left
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        c.email for c in meeting.network.members.filter(name__in=["Asha", "Bilal"])
    )
    assert "Minutes for comment" in mail.outbox[0].subject
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    comment = service.comment_on_minutes(actor=None, minutes=minutes, text="Item 2: it was Bilal, not Asha.")
    service.save_minutes(actor=None, meeting=meeting, text="## Welcome\nAll welcomed by the chair.")
    published = service.publish_minutes(actor=None, minutes=minutes)

    assert published.status == MinutesStatus.PUBLISHED
    assert published.published_at is not None
    assert list(published.comments.all()) == [comment]
    assert [row.status for row in published.history.order_by("history_date", "history_id")] == [
        "draft",
        "circulated",
        "circulated",
        "published",
    ]


def test_steps_out_of_order_are_refused(meeting):
    minutes = service.save_minutes(actor=None, meeting=meeting, text="Notes")
    with pytest.raises(service.MinutesError, match="Circulate"):
        service.publish_minutes(actor=None, minutes=minutes)
    with pytest.raises(service.MinutesError, match="only while"):
        service.comment_on_minutes(actor=None, minutes=minutes, text="Too early")
    service.circulate_minutes(actor=None, minutes=minutes)
    with pytest.raises(service.MinutesError, match="Only draft"):
        service.circulate_minutes(actor=None, minutes=minutes)
    service.publish_minutes(actor=None, minutes=minutes)
    with pytest.raises(service.MinutesError, match="published"):
        service.save_minutes(actor=None, meeting=meeting, text="Rewritten")
    with pytest.raises(service.MinutesError, match="only while"):
        service.comment_on_minutes(actor=None, minutes=minutes, text="Too late")
    minutes.refresh_from_db()
    assert minutes.text == "Notes"


def test_empty_minutes_cannot_be_circulated(meeting):
    minutes = service.save_minutes(actor=None, meeting=meeting, text="  ")
    with pytest.raises(service.MinutesError, match="Write the minutes"):
        service.circulate_minutes(actor=None, minutes=minutes)


def test_closing_an_action_records_when_and_reopening_clears_it():
    action = ActionFactory()
    done = service.update_action(actor=None, action=action, data={"status": ActionStatus.DONE})
    assert done.closed_on == timezone.localdate()
    reopened = service.update_action(actor=None, action=done, data={"status": ActionStatus.OPEN})
    assert reopened.closed_on is None


def overdue_world():
    network = NetworkFactory()
    chair = MembershipFactory(network=network, role=MembershipRole.CHAIR, contact=ContactFactory(name="Chair")).contact
    owner = ContactFactory(name="Owner")
    meeting = MeetingFactory(network=network)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = ActionFactory(meeting=meeting, owner=owner, due_date=yesterday, description="Book the hall")
    ActionFactory(meeting=meeting, owner=owner, due_date=yesterday, status=ActionStatus.DONE, description="Done one")
    ActionFactory(meeting=meeting, owner=owner, description="Not due yet")
    return chair, owner, late


def test_overdue_digest_goes_to_owners_and_the_chair(django_capture_on_commit_callbacks):
    chair, owner, _late = overdue_world()
    with django_capture_on_commit_callbacks(execute=True):
        assert service.send_overdue_digest() == 2
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {chair.email, owner.email}
    assert "Book the hall" in by_recipient[owner.email]
    assert "Done one" not in by_recipient[owner.email]
    assert "Not due yet" not in by_recipient[owner.email]
    assert "As chair" in by_recipient[chair.email]
    assert "Owner" in by_recipient[chair.email]


def test_overdue_digest_is_sent_once_a_week_however_often_it_is_queued(django_capture_on_commit_callbacks):
    overdue_world()
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_actions_digest.enqueue()
        send_overdue_actions_digest.enqueue()
    assert len(mail.outbox) == 2
    assert EmailDelivery.objects.filter(template="network_overdue_actions").count() == 2

    next_week = timezone.localdate() + datetime.timedelta(days=7)
    service.send_overdue_digest(today=next_week)
    assert EmailDelivery.objects.filter(template="network_overdue_actions").count() == 4


def test_overdue_digest_leaves_out_people_who_unsubscribed():
    chair, owner, _late = overdue_world()
    owner.unsubscribed_at = timezone.now()
    owner.save()
    assert service.send_overdue_digest() == 1
    assert list(EmailDelivery.objects.values_list("to_address", flat=True)) == [chair.email]


def test_the_digest_is_registered_as_a_weekly_job():
    from waymark.core.scheduling import periodic_jobs

    job = {job.name: job for job in periodic_jobs()}["network_overdue_actions_digest"]
    assert job.every == datetime.timedelta(weeks=1)
    assert job.task_path == "waymark.network.tasks_meetings.send_overdue_actions_digest"


def test_a_persons_comments_are_exported_and_erased_with_them(meeting):
    from waymark.accounts.factories import make_persona
    from waymark.core import personal_data

    author = make_persona("member")
    minutes = service.save_minutes(actor=None, meeting=meeting, text="Notes")
    service.circulate_minutes(actor=None, minutes=minutes)
    service.comment_on_minutes(actor=author, minutes=minutes, text="I was there, not absent.")
    source = {source.key: source for source in personal_data.sources()}["network_minutes_comments"]
    found = source.match(personal_data.PersonIdentity(email=author.email))
    assert [row["text"] for row in source.export_rows(found)] == ["I was there, not absent."]
    counts = personal_data.erase_personal_data(personal_data.PersonIdentity(email=author.email), actor=None)
    assert counts["network_minutes_comments"] == 1
    assert list(minutes.comments.values_list("text", flat=True)) == [""]
