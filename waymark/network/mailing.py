"""Signed links for e-mail sent to network contacts, for every part of the network app to reuse.

``bulletin_headers(contact, distribution_list)`` gives the RFC 8058 one-click unsubscribe headers
(``List-Unsubscribe`` with an https URL and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``);
``manage_link(contact)`` gives the address of the page where a contact manages their subscriptions
without an account; ``email_context(contact, distribution_list)`` gives both for e-mail templates
(``unsubscribe_url`` is shown in the footer of ``email/base.*``, ``manage_url`` beside it).

Tokens are ``core.signed_links`` tokens: they carry the contact and list, are dated, and stop working
after ``SIGNED_LINK_MAX_AGE_DAYS`` (then the page offers to send a new manage link), or when the
contact's links are withdrawn. Unsubscribe links sent before links were dated carry no date to check;
since following one can only stop e-mail, they keep working (RFC 8058) until the contact's are withdrawn.
"""

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from waymark.core import signed_links
from waymark.network.models import Contact, DistributionList

UNSUBSCRIBE_PURPOSE = "unsubscribe"
MANAGE_PURPOSE = "manage-subscriptions"
UNDATED_UNSUBSCRIBE_SALT = "waymark.network.unsubscribe"  # links sent before links were dated
EVERY_LIST = "*"  # the list part of a token that unsubscribes from all network e-mail
CONTACT_PREFIX = "contact:"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def contact_subject(contact: Contact) -> str:
    """Whose links these are: withdrawing them touches no other contact's."""
    return f"{CONTACT_PREFIX}{contact.uuid}"


def _contact(subject: str) -> Contact:
    try:
        return Contact.objects.get(uuid=subject.removeprefix(CONTACT_PREFIX))
    except (Contact.DoesNotExist, ValidationError, ValueError):
        raise signed_links.BadLink from None


def unsubscribe_token(contact: Contact, distribution_list: DistributionList | None = None) -> str:
    """Per recipient (and list): proves the request came from a link we sent to this contact."""
    target = str(distribution_list.uuid) if distribution_list is not None else EVERY_LIST
    return signed_links.make_token(purpose=UNSUBSCRIBE_PURPOSE, subject=contact_subject(contact), data={"l": target})


def read_unsubscribe_token(token: str) -> tuple[Contact, DistributionList | None]:
    """The contact and list (None: every list) a token names; signed_links.LinkRefused when it cannot be used."""
    try:
        subject, data = signed_links.read_token(token, purpose=UNSUBSCRIBE_PURPOSE)
    except signed_links.BadLink:
        subject, data = _read_undated_unsubscribe_token(token)
    contact = _contact(subject)
    if data.get("l") == EVERY_LIST:
        return contact, None
    try:
        return contact, DistributionList.objects.select_related("network").get(uuid=str(data.get("l")))
    except (DistributionList.DoesNotExist, ValidationError, ValueError):
        raise signed_links.BadLink from None


def _read_undated_unsubscribe_token(token: str) -> tuple[str, dict[str, Any]]:
    try:
        data = signing.loads(token, salt=UNDATED_UNSUBSCRIBE_SALT)
        subject = f"{CONTACT_PREFIX}{data['c']}"
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise signed_links.BadLink from None
    if signed_links.current_version(UNSUBSCRIBE_PURPOSE, subject) != 0:
        raise signed_links.RevokedLink
    return subject, data


def manage_token(contact: Contact) -> str:
    return signed_links.make_token(purpose=MANAGE_PURPOSE, subject=contact_subject(contact))


def read_manage_token(token: str) -> Contact:
    subject, _data = signed_links.read_token(token, purpose=MANAGE_PURPOSE)
    return _contact(subject)


def unsubscribe_url(contact: Contact, distribution_list: DistributionList | None = None) -> str:
    return absolute_url(reverse("network:unsubscribe", args=[unsubscribe_token(contact, distribution_list)]))


def manage_link(contact: Contact) -> str:
    """The no-account page where this contact chooses which lists they get, or stops all e-mail."""
    return absolute_url(reverse("network:manage_subscriptions", args=[manage_token(contact)]))


def bulletin_headers(contact: Contact, distribution_list: DistributionList | None = None) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe headers for one recipient (from ``distribution_list``, else everything)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(contact, distribution_list)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def email_context(contact: Contact, distribution_list: DistributionList | None = None) -> dict[str, Any]:
    """What every network e-mail template needs for its footer links."""
    return {
        "unsubscribe_url": unsubscribe_url(contact, distribution_list),
        "manage_url": manage_link(contact),
    }
