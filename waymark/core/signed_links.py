"""Links sent by e-mail or kept in a calendar program that expire, and can be withdrawn one person at a time.

A link's token carries, signed with the SECRET_KEY and timestamped, its subject (whose link it is, such
as ``user:12`` or ``contact:<uuid>``), the subject's link version for that purpose, and the caller's data.
A token older than its purpose's maximum age (``settings.SIGNED_LINK_MAX_AGE_DAYS``) is expired. Raising
the version (``revoke_links``) withdraws every link already issued to that subject for that purpose and
nobody else's; a link issued afterwards carries the new version and works.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from waymark.core.audit import acting_as
from waymark.core.models import SignedLinkVersion


class LinkRefused(Exception):
    """The link cannot be used; ``reason`` says why, so the page can say what to do."""

    reason = "invalid"


class BadLink(LinkRefused):
    """Altered, cut short, or made for another purpose."""


class ExpiredLink(LinkRefused):
    """Older than its purpose's maximum age."""

    reason = "expired"


class RevokedLink(LinkRefused):
    """Withdrawn, or replaced by a newer link for the same person."""

    reason = "revoked"


def max_age(purpose: str) -> timedelta:
    try:
        return timedelta(days=settings.SIGNED_LINK_MAX_AGE_DAYS[purpose])
    except KeyError:
        raise ImproperlyConfigured(f"SIGNED_LINK_MAX_AGE_DAYS has no maximum age for {purpose!r} links.") from None


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"waymark.signed-link.{purpose}")


def current_version(purpose: str, subject: str) -> int:
    found = SignedLinkVersion.objects.filter(purpose=purpose, subject=subject).values_list("version", flat=True)
    return next(iter(found), 0)


def make_token(*, purpose: str, subject: str, data: dict[str, Any] | None = None) -> str:
    """A token for ``subject``'s link of this purpose, valid until it is too old or revoked."""
    max_age(purpose)  # an unconfigured purpose fails here, when the link is made, not when it is used
    payload = {**(data or {}), "s": subject, "v": current_version(purpose, subject)}
    return _signer(purpose).sign_object(payload, compress=True)


def read_token(token: str, *, purpose: str) -> tuple[str, dict[str, Any]]:
    """The subject and data of a usable token; ExpiredLink, RevokedLink or BadLink otherwise."""
    try:
        payload = _signer(purpose).unsign_object(token, max_age=max_age(purpose))
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except (signing.BadSignature, ValueError, TypeError):
        raise BadLink from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), str) or not isinstance(payload.get("v"), int):
        raise BadLink
    subject = payload.pop("s")
    if payload.pop("v") != current_version(purpose, subject):
        raise RevokedLink
    return subject, payload


def revoke_links(*, actor: Any, purpose: str, subject: str) -> SignedLinkVersion:
    """Withdraw every link of this purpose already issued to ``subject``; other people's keep working."""
    max_age(purpose)
    with transaction.atomic(), acting_as(actor):
        version, _created = SignedLinkVersion.objects.select_for_update().get_or_create(
            purpose=purpose, subject=subject
        )
        version.version += 1
        version.revoked_at = timezone.now()
        version.save()
    return version
