"""Sending bulletins: consent respected and skips counted in the request, e-mails rendered and sent by
the background job (once, however often it runs), one logged delivery per recipient, RFC 8058 one-click
unsubscribe read back from a real SMTP server, and the no-account subscription pages."""

import socket
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core import signing
from django.test import Client
from django.urls import reverse

from waymark.core.choices import DeliveryStatus, JobStatus
from waymark.core.email import send_email
from waymark.core.jobs import run_job_now
from waymark.core.models import EmailDelivery, Job
from waymark.network import bulletin_mail, mailing, membership
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.factories_people import BulletinFactory, DistributionListFactory
from waymark.network.models import BulletinRecipient, BulletinStatus, Contact, SkipReason
from waymark.network.services import bulletins, subscriptions
from waymark.network.tasks_bulletins import deliver_bulletin_job

pytestmark = pytest.mark.django_db

SITE_URL = "https://waymark.example"


@pytest.fixture(autouse=True)
def _https_site(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def bulletin():
    """A bulletin to a network of five: three may be e-mailed, one has no consent, one unsubscribed."""
    network = NetworkFactory(name="Riverside Mental Health Network")
    for name in ("Asha", "Bola", "Chen"):
        MembershipFactory(network=network, contact=ContactFactory(name=name, email=f"{name.lower()}@example.org"))
    MembershipFactory(
        network=network,
        contact=ContactFactory(name="Dev", email="dev@example.org", consent_to_contact=False, lawful_basis=""),
    )
    gone = ContactFactory(name="Eve", email="eve@example.org")
    MembershipFactory(network=network, contact=gone)
    subscriptions.unsubscribe(contact=gone)
    return BulletinFactory(
        distribution_list=DistributionListFactory(network=network, name="Everyone"),
        subject="Riverside news: winter",
        body="## Dates\n\nThe next meeting is on **Tuesday**.\n\n<script>alert(1)</script>",
    )


class Recorder:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 10},
        }
    }
    yield recorder
    controller.stop()


def test_a_bulletin_goes_through_smtp_with_one_click_unsubscribe_headers(
    bulletin, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = bulletins.send_bulletin(bulletin=bulletin, actor=None)

    assert (result.sent, result.skipped) == (3, {SkipReason.NO_CONSENT: 1, SkipReason.UNSUBSCRIBED: 1})
    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_server.envelopes) == [
        "asha@example.org",
        "bola@example.org",
        "chen@example.org",
    ]
    envelope = next(e for e in smtp_server.envelopes if e.rcpt_tos == ["asha@example.org"])
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "Riverside news: winter"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message["List-Unsubscribe"]
    assert header.startswith(f"<{SITE_URL}/network/unsubscribe/") and header.endswith(">")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "The next meeting is on **Tuesday**" in text
    assert "<strong>Tuesday</strong>" in html
    assert "<script>" not in html
    manage = f"{SITE_URL}/network/subscriptions/"
    assert manage in text and manage in html

    # The header's URL, POSTed as a mail provider does (RFC 8058), unsubscribes Asha from this list.
    path = urlsplit(header.strip("<>")).path
    response = Client(enforce_csrf_checks=True).post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    asha = bulletin.distribution_list.network.members.get(name="Asha")
    assert list(membership.lists_left(asha)) == [bulletin.distribution_list]
    assert "Asha" not in {contact.name for contact in membership.recipients(bulletin.distribution_list)}

    assert EmailDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 3


def test_sending_records_each_recipient_and_freezes_the_bulletin(
    bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.send_bulletin(bulletin=bulletin, actor=None)

    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.sent_count, bulletin.skipped_count) == (BulletinStatus.SENT, 3, 2)
    log = {row.contact.name: (row.skipped_reason, row.delivery_id is not None) for row in bulletin.recipients.all()}
    assert log == {
        "Asha": ("", True),
        "Bola": ("", True),
        "Chen": ("", True),
        "Dev": (SkipReason.NO_CONSENT, False),
        "Eve": (SkipReason.UNSUBSCRIBED, False),
    }
    # Each person's headers carry their own token.
    tokens = {message.to[0]: message.extra_headers["List-Unsubscribe"] for message in mailoutbox}
    assert len(set(tokens.values())) == 3
    with pytest.raises(bulletins.AlreadySent):
        bulletins.send_bulletin(bulletin=bulletin, actor=None)
    assert len(mailoutbox) == 3
    assert BulletinRecipient.objects.count() == 5


def test_sending_queues_the_job_and_renders_nothing_until_it_runs(
    bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        result = bulletins.send_bulletin(bulletin=bulletin, actor=None)

    # Who it goes to and who is skipped are known at once, from the consent fields alone.
    assert (result.sent, result.skipped) == (3, {SkipReason.NO_CONSENT: 1, SkipReason.UNSUBSCRIBED: 1})
    assert result.job.name == bulletins.JOB_NAME and result.job.status == JobStatus.QUEUED
    assert len(queued) == 1
    assert not EmailDelivery.objects.exists()
    assert BulletinRecipient.objects.filter(bulletin=bulletin, delivery__isnull=True).count() == 5
    assert bulletin.status == BulletinStatus.SENT and bulletin.job == result.job

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()

    result.job.refresh_from_db()
    assert (result.job.status, result.job.result) == (JobStatus.SUCCEEDED, {"sent": 3, "skipped": 2})
    assert (result.job.progress_current, result.job.progress_total) == (3, 3)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "asha@example.org",
        "bola@example.org",
        "chen@example.org",
    ]
    for message in mailoutbox:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE_URL}/network/unsubscribe/")


def test_running_the_job_again_sends_nothing_more(bulletin, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = bulletins.send_bulletin(bulletin=bulletin, actor=None)
    deliveries = set(EmailDelivery.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        deliver_bulletin_job.call(job_uuid=str(first.job.uuid), bulletin_uuid=str(bulletin.uuid))  # finished: no-op
        again = run_job_now(
            deliver_bulletin_job, name=bulletins.JOB_NAME, label="Again", actor=None, bulletin_uuid=str(bulletin.uuid)
        )

    assert again.status == JobStatus.SUCCEEDED and again.result == {"sent": 3, "skipped": 2}
    assert len(mailoutbox) == 3
    assert set(EmailDelivery.objects.values_list("pk", flat=True)) == deliveries
    bulletin.refresh_from_db()
    assert (bulletin.sent_count, bulletin.skipped_count) == (3, 2)


def test_a_job_that_stopped_half_way_is_finished_by_sending_again_and_nobody_gets_it_twice(
    bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        first = bulletins.send_bulletin(bulletin=bulletin, actor=None)
    asha = Contact.objects.get(name="Asha")
    # The first job logged (and sent) Asha's e-mail, then stopped before writing it in the recipient log.
    with django_capture_on_commit_callbacks(execute=True):
        [logged] = send_email(
            to=asha.email,
            template=bulletin_mail.BULLETIN_TEMPLATE,
            context=bulletin_mail.email_context(bulletin, asha),
            dedupe_key=bulletin_mail.dedupe_key(bulletin, asha),
        )
    Job.objects.filter(pk=first.job.pk).update(status=JobStatus.FAILED, message="The worker was stopped.")
    assert len(queued) == 1  # never run

    with django_capture_on_commit_callbacks(execute=True):
        retry = bulletins.send_bulletin(bulletin=bulletin, actor=None)

    assert retry.job != first.job
    assert (retry.sent, retry.skipped) == (3, {SkipReason.NO_CONSENT: 1, SkipReason.UNSUBSCRIBED: 1})
    assert sorted(message.to[0] for message in mailoutbox) == [
        "asha@example.org",
        "bola@example.org",
        "chen@example.org",
    ]
    assert BulletinRecipient.objects.get(bulletin=bulletin, contact=asha).delivery == logged
    assert BulletinRecipient.objects.count() == 5
    with pytest.raises(bulletins.AlreadySent):  # the new job succeeded
        bulletins.send_bulletin(bulletin=bulletin, actor=None)


def test_someone_who_unsubscribes_before_the_job_runs_is_skipped(
    bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        bulletins.send_bulletin(bulletin=bulletin, actor=None)
    subscriptions.unsubscribe(contact=Contact.objects.get(name="Bola"), distribution_list=bulletin.distribution_list)
    subscriptions.unsubscribe(contact=Contact.objects.get(name="Chen"))

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()

    assert [message.to for message in mailoutbox] == [["asha@example.org"]]
    bulletin.refresh_from_db()
    assert (bulletin.sent_count, bulletin.skipped_count) == (1, 4)
    assert bulletin_mail.recorded_outcome(bulletin).skipped == {SkipReason.NO_CONSENT: 1, SkipReason.UNSUBSCRIBED: 3}


def test_a_get_of_the_unsubscribe_link_only_asks_for_confirmation(client, bulletin):
    contact = bulletin.distribution_list.network.members.get(name="Asha")
    url = reverse("network:unsubscribe", args=[mailing.unsubscribe_token(contact, bulletin.distribution_list)])

    response = client.get(url)

    assert response.status_code == 200
    assert "Stop getting the “Everyone” e-mails" in response.content.decode()
    assert membership.lists_left(contact).count() == 0
    assert response["Referrer-Policy"] == "same-origin"


def test_an_altered_or_foreign_token_unsubscribes_nobody(client, bulletin):
    contact = bulletin.distribution_list.network.members.get(name="Asha")
    token = mailing.unsubscribe_token(contact, bulletin.distribution_list)
    forged = signing.dumps({"c": str(contact.uuid), "l": "*"}, salt="some other purpose")

    for bad in (token[:-2] + "xx", forged, mailing.manage_token(contact)):
        assert client.post(reverse("network:unsubscribe", args=[bad])).status_code == 404
    contact.refresh_from_db()
    assert not contact.unsubscribed and membership.lists_left(contact).count() == 0


def test_the_manage_page_needs_no_account_and_saves_choices(client, bulletin):
    contact = bulletin.distribution_list.network.members.get(name="Bola")
    url = mailing.manage_link(contact).removeprefix(SITE_URL)

    page = client.get(url)
    assert page.status_code == 200
    assert "Everyone (Riverside Mental Health Network)" in page.content.decode()

    response = client.post(url, {"stop_all": "on"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.unsubscribed
    assert client.get(reverse("network:manage_subscriptions", args=["nonsense"])).status_code == 404
