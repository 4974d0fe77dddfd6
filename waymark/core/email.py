"""The one way Waymark sends e-mail: ``send_email()`` logs a delivery per recipient and queues it.

Every message is rendered from three templates (``email/<name>_subject.txt``, ``email/<name>.txt``
and ``email/<name>.html``, the HTML one extending ``email/base.html``), stored as an EmailDelivery
row keyed by a dedupe key, and sent by the ``deliver_email`` task after the caller's transaction
commits. The same key never sends twice, and a delivery that is already sent is never resent.

A delivery the mail server does not take (down, refusing, timing out) stays queued with a next attempt
time, the wait doubling each time (``EMAIL_RETRY_*`` settings); ``retry_due_deliveries`` (scheduled every
minute) tries again those that are due. A delivery is marked sent only once the server has accepted it.
"""

import functools
import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.utils import timezone

from waymark.core.choices import DeliveryStatus
from waymark.core.models import EmailDelivery

logger = logging.getLogger(__name__)

SITE_NAME = "Waymark"
DEDUPE_KEY_LENGTH = EmailDelivery._meta.get_field("dedupe_key").max_length or 255
SUBJECT_LENGTH = EmailDelivery._meta.get_field("subject").max_length or 255


@functools.cache
def _plain_text_engine() -> DjangoTemplates:
    """The project's template engine without HTML escaping, for subjects and plain-text bodies."""
    config = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "email_plain_text",
            "DIRS": config.get("DIRS", []),
            "APP_DIRS": config.get("APP_DIRS", False),
            "OPTIONS": {"autoescape": False},
        }
    )


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render (subject, text body, HTML body) for ``email/<template>``."""
    full_context = {"site_name": SITE_NAME, "site_url": settings.SITE_URL, **context}
    engine = _plain_text_engine()
    subject = engine.get_template(f"email/{template}_subject.txt").render(full_context)
    subject = " ".join(subject.split())[:SUBJECT_LENGTH]
    text_body = engine.get_template(f"email/{template}.txt").render(full_context).strip() + "\n"
    html_body = render_to_string(f"email/{template}.html", full_context)
    return subject, text_body, html_body


def _recipients(to: str | list[str]) -> list[str]:
    """Clean, validated, de-duplicated addresses; a bad one raises ValueError naming it."""
    addresses = [to] if isinstance(to, str) else list(to)
    cleaned = []
    for address in addresses:
        address = address.strip()
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(f"{address!r} is not a valid e-mail address.") from None
        cleaned.append(address)
    if not cleaned:
        raise ValueError("send_email() needs at least one recipient.")
    return list(dict.fromkeys(cleaned))


def _delivery_key(dedupe_key: str, address: str) -> str:
    key = f"{dedupe_key}:{address}"
    if len(key) > DEDUPE_KEY_LENGTH:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


class TextAttachment(NamedTuple):
    """A text file sent with an e-mail, such as an iCalendar entry (kept in the delivery log as text)."""

    filename: str
    content: str
    content_type: str


def send_email(
    *,
    to: str | list[str],
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    headers: dict[str, str] | None = None,
    attachments: list[TextAttachment] | None = None,
    actor: Any = None,
) -> list[EmailDelivery]:
    """Log one delivery per recipient and queue it for sending once the transaction commits.

    Calling again with the same ``dedupe_key`` returns the existing deliveries and sends nothing new.
    """
    from waymark.core.tasks import deliver_email  # tasks imports this module

    addresses = _recipients(to)
    subject, text_body, html_body = render_email(template, context)
    deliveries = []
    with transaction.atomic():
        for address in addresses:
            delivery, created = EmailDelivery.objects.get_or_create(
                dedupe_key=_delivery_key(dedupe_key, address),
                defaults={
                    "template": template,
                    "to_address": address,
                    "subject": subject,
                    "text_body": text_body,
                    "html_body": html_body,
                    "headers": headers or {},
                    "attachments": [attachment._asdict() for attachment in attachments or []],
                },
            )
            deliveries.append(delivery)
            if created:
                transaction.on_commit(functools.partial(deliver_email.enqueue, str(delivery.uuid)))
    logger.info(
        "E-mail %r queued for %d recipient(s) by user %s.",
        template,
        len(addresses),
        getattr(actor, "pk", None) or "system",
    )
    return deliveries


# How long one attempt may take before a retry assumes its worker died mid-send (above the SMTP timeout).
ATTEMPT_LEASE = timedelta(minutes=5)
RETRY_BATCH = 200  # deliveries tried by one run of the retry task


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the first delay, doubled each time, up to the cap."""
    seconds = settings.EMAIL_RETRY_FIRST_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


def deliver(delivery_uuid: str, now: datetime | None = None) -> str:
    """Send one queued delivery that is due, with the default mailer, and record the outcome.

    The attempt is claimed with a compare-and-set on ``attempts`` that also moves the next attempt past
    the attempt's lease, so two workers never send it at once. A failure leaves it queued for a later
    attempt (or failed, after ``EMAIL_MAX_ATTEMPTS``); only the server's acceptance marks it sent.
    """
    now = now or timezone.now()
    delivery = EmailDelivery.objects.get(uuid=delivery_uuid)
    if delivery.status != DeliveryStatus.QUEUED or (delivery.next_attempt_at and delivery.next_attempt_at > now):
        return delivery.status
    claimed = EmailDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.QUEUED, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + ATTEMPT_LEASE)
    if not claimed:
        return EmailDelivery.objects.values_list("status", flat=True).get(pk=delivery.pk)
    attempts = delivery.attempts + 1
    message = EmailMultiAlternatives(
        subject=delivery.subject, body=delivery.text_body, to=[delivery.to_address], headers=delivery.headers
    )
    if delivery.html_body:
        message.attach_alternative(delivery.html_body, "text/html")
    for attachment in delivery.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    try:
        mailers.default.send_messages([message])
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        if attempts >= settings.EMAIL_MAX_ATTEMPTS:
            status, next_attempt_at = DeliveryStatus.FAILED, None
        else:
            status, next_attempt_at = DeliveryStatus.QUEUED, now + retry_delay(attempts)
        EmailDelivery.objects.filter(pk=delivery.pk).update(status=status, error=error, next_attempt_at=next_attempt_at)
        logger.warning("E-mail delivery %s failed (attempt %d): %s", delivery.uuid, attempts, error)
        return status
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), error="", next_attempt_at=None
    )
    return DeliveryStatus.SENT


def retry_due_deliveries(now: datetime | None = None) -> dict[str, int]:
    """Try again the queued deliveries that are due: those whose wait is over, and those queued long ago
    whose first attempt never came (its worker died). Stops at the first one still refused, so a mail
    server that is down is not hammered; the rest wait for the next run."""
    now = now or timezone.now()
    due = (
        EmailDelivery.objects.filter(status=DeliveryStatus.QUEUED)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=now - ATTEMPT_LEASE))
        .order_by(F("next_attempt_at").asc(nulls_first=True), "pk")
        .values_list("uuid", flat=True)[:RETRY_BATCH]
    )
    outcome = {"sent": 0, "waiting": 0}
    for delivery_uuid in list(due):
        status = deliver(str(delivery_uuid), now=now)
        if status == DeliveryStatus.SENT:
            outcome["sent"] += 1
        elif status != DeliveryStatus.SKIPPED:
            outcome["waiting"] += 1
            break
    return outcome


class DeliveryLoggedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, sending through ``send_email()`` so the mail is logged and sent once.

    It always uses the ``email/password_reset*`` templates; the template names Django passes are ignored.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # The key is a hash: the reset token itself must not sit in an indexed column.
        token_hash = hashlib.sha256(f"{context['uid']}:{context['token']}".encode()).hexdigest()
        # Django's site_name is the request's host name; the e-mail layout names the service instead.
        send_email(
            to=to_email,
            template="password_reset",
            context={key: value for key, value in context.items() if key != "site_name"},
            dedupe_key=f"password_reset:{token_hash}",
        )
