"""send_email(): one logged delivery per recipient, sent once, with text and HTML parts."""

import re
from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from waymark.core.choices import DeliveryStatus
from waymark.core.email import DeliveryLoggedPasswordResetForm, deliver, send_email
from waymark.core.models import EmailDelivery

pytestmark = pytest.mark.django_db

NOTICE = {
    "subject": "Your grant report is due",
    "greeting": "Hello Ada,",
    "paragraphs": ["Smith & Sons <Ltd> asked for your report by Friday."],
    "action_url": "https://waymark.example/grants/reports/1/",
    "action_label": "Write the report",
}


class RefusingBackend(BaseEmailBackend):
    """A mailer whose server refuses every recipient."""

    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({"ada@example.org": (550, b"Mailbox unavailable")})


def _send(**overrides):
    arguments = {"to": "ada@example.org", "template": "notice", "context": NOTICE, "dedupe_key": "report-due:1"}
    return send_email(**(arguments | overrides))


def test_the_same_key_sends_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _send()
    with django_capture_on_commit_callbacks(execute=True):
        second = _send()

    assert len(mailoutbox) == 1
    assert [d.pk for d in first] == [d.pk for d in second]
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.to_address) == (DeliveryStatus.SENT, 1, "ada@example.org")
    assert delivery.sent_at is not None
    assert delivery.dedupe_key == "report-due:1:ada@example.org"


def test_the_mail_has_a_plain_text_body_and_an_html_alternative(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(headers={"List-Unsubscribe": "<https://waymark.example/unsubscribe/abc/>"})

    message = mailoutbox[0]
    assert message.subject == "Your grant report is due"
    assert message.to == ["ada@example.org"]
    assert "Smith & Sons <Ltd> asked for your report" in message.body  # plain text is not HTML-escaped
    assert "Write the report: https://waymark.example/grants/reports/1/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Smith &amp; Sons &lt;Ltd&gt;" in html
    assert 'href="https://waymark.example/grants/reports/1/"' in html
    assert "Waymark" in html
    assert message.message()["List-Unsubscribe"] == "<https://waymark.example/unsubscribe/abc/>"


def test_each_recipient_gets_their_own_delivery(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliveries = _send(to=["ada@example.org", "grace@example.org", "ada@example.org"])

    assert [d.to_address for d in deliveries] == ["ada@example.org", "grace@example.org"]
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "grace@example.org"]


def test_nothing_is_sent_until_the_transaction_commits(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _send()
    assert mailoutbox == []
    assert EmailDelivery.objects.get().status == DeliveryStatus.QUEUED


def test_a_bad_address_is_refused_by_name():
    with pytest.raises(ValueError, match="'not-an-address' is not a valid e-mail address"):
        _send(to=["ada@example.org", "not-an-address"])
    assert not EmailDelivery.objects.exists()


def test_a_refused_delivery_waits_with_back_off_then_fails_after_the_last_attempt(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    working_mailers = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "waymark.core.tests.test_email.RefusingBackend"}}
    settings.EMAIL_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = _send()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.QUEUED, 1, None)
    assert "SMTPRecipientsRefused" in delivery.error
    assert "Mailbox unavailable" in delivery.error
    assert deliver(str(delivery.uuid), now=delivery.next_attempt_at - timedelta(seconds=1)) == DeliveryStatus.QUEUED
    delivery.refresh_from_db()
    assert delivery.attempts == 1  # not due yet: not tried

    second = delivery.next_attempt_at
    assert deliver(str(delivery.uuid), now=second) == DeliveryStatus.QUEUED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - second == timedelta(seconds=2 * settings.EMAIL_RETRY_FIRST_SECONDS)
    assert deliver(str(delivery.uuid), now=delivery.next_attempt_at) == DeliveryStatus.FAILED  # the third and last
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)

    settings.MAILERS = working_mailers
    assert deliver(str(delivery.uuid), now=second + timedelta(days=1)) == DeliveryStatus.FAILED
    assert mailoutbox == []


def test_a_waiting_delivery_is_sent_by_the_retry_once_due(settings, mailoutbox, django_capture_on_commit_callbacks):
    from waymark.core.email import retry_due_deliveries

    working_mailers = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "waymark.core.tests.test_email.RefusingBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = _send()
    settings.MAILERS = working_mailers
    delivery.refresh_from_db()
    assert retry_due_deliveries(now=delivery.next_attempt_at - timedelta(seconds=1)) == {"sent": 0, "waiting": 0}
    assert retry_due_deliveries(now=delivery.next_attempt_at) == {"sent": 1, "waiting": 0}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.SENT, 2, "")
    assert len(mailoutbox) == 1


def test_delivering_a_sent_mail_again_does_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = _send()

    assert deliver(str(delivery.uuid)) == DeliveryStatus.SENT

    assert len(mailoutbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_password_reset_mail_is_logged_and_links_to_the_reset_page(
    mailoutbox, django_capture_on_commit_callbacks, user_factory
):
    user_factory(email="ada@example.org", full_name="Ada Example")
    form = DeliveryLoggedPasswordResetForm(data={"email": "ADA@example.org"})
    assert form.is_valid()

    with django_capture_on_commit_callbacks(execute=True):
        form.save(domain_override="waymark.example", use_https=True)

    [message] = mailoutbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Reset your Waymark password"
    assert "https://waymark.example/account/password-reset/" in message.body
    assert "Hello Ada Example," in message.body
    assert "Choose a new password" in message.alternatives[0][0]
    delivery = EmailDelivery.objects.get()
    assert delivery.template == "password_reset"
    assert delivery.dedupe_key.startswith("password_reset:")
    token = re.search(r"/password-reset/[^/]+/([^/]+)/", message.body).group(1)
    assert token not in delivery.dedupe_key  # the key is a hash, not the secret
