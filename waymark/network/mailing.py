"""Signed links for e-mail sent to network contacts, for every part of the network app to reuse.

``bulletin_headers(contact, distribution_list)`` gives the RFC 8058 one-click unsubscribe headers
(``List-Unsubscribe`` with an https URL and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``);
``manage_link(contact)`` gives the address of the page where a contact manages their subscriptions
without an account; ``email_context(contact, distribution_list)`` gives both for e-mail templates
(``unsubscribe_url`` is shown in the footer of ``email/base.*``, ``manage_url`` beside it).

Tokens are signed with Django's signing framework (the SECRET_KEY), carry the contact's UUID and
list, and never expire: an unsubscribe link in an old e-mail must still work.
"""

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from waymark.network.models import Contact, DistributionList

UNSUBSCRIBE_SALT = "waymark.network.unsubscribe"
MANAGE_SALT = "waymark.network.manage-subscriptions"
EVERY_LIST = "*"  # the list part of a token that unsubscribes from all network e-mail


class BadToken(Exception):
    """The link was altered, or was made for something that no longer exists."""


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(contact: Contact, distribution_list: DistributionList | None = None) -> str:
    """Per recipient (and list): proves the request came from a link we sent to this contact."""
    target = str(distribution_list.uuid) if distribution_list is not None else EVERY_LIST
    return signing.dumps({"c": str(contact.uuid), "l": target}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Contact, DistributionList | None]:
    """The contact and list (None: every list) a token names; BadToken when it is not one of ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        contact = Contact.objects.get(uuid=data["c"])
        if data["l"] == EVERY_LIST:
            return contact, None
        return contact, DistributionList.objects.select_related("network").get(uuid=data["l"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, Contact.DoesNotExist, DistributionList.DoesNotExist):
        raise BadToken from None


def manage_token(contact: Contact) -> str:
    return signing.dumps(str(contact.uuid), salt=MANAGE_SALT)


def read_manage_token(token: str) -> Contact:
    try:
        return Contact.objects.get(uuid=signing.loads(token, salt=MANAGE_SALT))
    except (signing.BadSignature, TypeError, ValueError, Contact.DoesNotExist):
        raise BadToken from None


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
