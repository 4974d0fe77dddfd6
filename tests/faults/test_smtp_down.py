"""With the mail server down, e-mail waits and is retried with back-off; once the server is back, each message
is sent exactly once, and nothing is recorded as sent before it was. A real SMTP server (aiosmtpd) is used."""

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.utils import timezone

from waymark.core.choices import DeliveryStatus
from waymark.core.email import retry_due_deliveries, send_email
from waymark.core.models import EmailDelivery
from waymark.network import bulletin_mail
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.factories_people import BulletinFactory, DistributionListFactory
from waymark.network.services import bulletins
from waymark.voice.answering import reminders_with_delivery
from waymark.voice.factories_escalations import EscalationFactory
from waymark.voice.tasks_escalations import send_escalation_reminders

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    """Where the mail server will listen: configured now, started only when the test says so."""
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def queue_a_notice_a_bulletin_and_a_reminder():
    """The three kinds of mail: core's send path, a network bulletin (two people) and a voice reminder."""
    send_email(
        to="ada@example.org",
        template="notice",
        context={"subject": "Your report is due", "greeting": "Hello Ada,", "paragraphs": ["It is due on Friday."]},
        dedupe_key="report-due:1",
    )
    network = NetworkFactory(name="Riverside Mental Health Network")
    for name in ("Asha", "Bola"):
        MembershipFactory(network=network, contact=ContactFactory(name=name, email=f"{name.lower()}@example.org"))
    bulletin = BulletinFactory(distribution_list=DistributionListFactory(network=network), subject="Winter news")
    bulletins.send_bulletin(bulletin=bulletin, actor=None)
    escalation = EscalationFactory(due_on=timezone.localdate() - timedelta(days=10), contact_email="trust@example.org")
    send_escalation_reminders.call()
    return bulletin, escalation


def test_mail_waits_while_the_server_is_down_and_goes_once_when_it_is_back(
    mail_server, django_capture_on_commit_callbacks
):
    controller, inbox = mail_server
    with django_capture_on_commit_callbacks(execute=True):  # each delivery is tried at once, and fails
        bulletin, escalation = queue_a_notice_a_bulletin_and_a_reminder()
    deliveries = EmailDelivery.objects.order_by("pk")
    addresses = sorted(deliveries.values_list("to_address", flat=True))
    assert addresses == ["ada@example.org", "asha@example.org", "bola@example.org", "trust@example.org"]
    first_delay = timedelta(seconds=django_settings.EMAIL_RETRY_FIRST_SECONDS)
    for delivery in deliveries:
        assert delivery.status == DeliveryStatus.QUEUED and delivery.sent_at is None  # waiting, not sent
        assert delivery.attempts == 1 and "Connection refused" in delivery.error
        assert delivery.next_attempt_at - delivery.created_at >= first_delay
    outcome = bulletin_mail.recorded_outcome(bulletin)
    assert (outcome.delivered, outcome.waiting) == (0, 2)  # its page says sent to nobody yet, two waiting
    [(_reminder, delivered)] = reminders_with_delivery(escalation)
    assert not delivered  # the escalation's page says the reminder waits for the mail server

    # The retry comes round while the server is still down: nothing is sent, and the wait doubles.
    retry_at = max(deliveries.values_list("next_attempt_at", flat=True))
    retry_due_deliveries(now=retry_at)
    assert not deliveries.filter(status=DeliveryStatus.SENT).exists()
    retried = deliveries.filter(attempts=2)
    assert retried.exists()
    assert {delivery.next_attempt_at - retry_at for delivery in retried} == {2 * first_delay}

    controller.start()
    retry_due_deliveries(now=retry_at + 2 * first_delay)
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sorted(envelope.rcpt_tos[0] for envelope in inbox.envelopes) == addresses  # each once
    assert bulletin_mail.recorded_outcome(bulletin).delivered == 2
    assert [delivered for _reminder, delivered in reminders_with_delivery(escalation)] == [True]

    retry_due_deliveries(now=retry_at + timedelta(days=1))
    assert len(inbox.envelopes) == len(addresses)  # nothing is sent twice
