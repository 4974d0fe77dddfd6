"""A contact's e-mail from the network, from the no-account pages and staff: leaving one list or all of
them, choosing lists again, a fresh manage link, and withdrawing the links already sent."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from waymark.core import signed_links
from waymark.core.audit import acting_as
from waymark.core.email import send_email
from waymark.network.mailing import MANAGE_PURPOSE, UNSUBSCRIBE_PURPOSE, contact_subject, manage_link
from waymark.network.membership import lists_reaching
from waymark.network.models import Contact, DistributionList


def unsubscribe(*, contact: Contact, distribution_list: DistributionList | None = None) -> None:
    """Stop e-mail from one list, or (``None``) all network e-mail. Repeating it changes nothing."""
    with transaction.atomic(), acting_as(None):
        if distribution_list is not None:
            distribution_list.opted_out.add(contact)
            return
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if locked.unsubscribed_at is None:
            locked.unsubscribed_at = timezone.now()
            locked.save(update_fields=["unsubscribed_at", "updated_at"])
        contact.unsubscribed_at = locked.unsubscribed_at


def update_subscriptions(*, contact: Contact, keep: Iterable[DistributionList], stop_all: bool) -> None:
    """From the manage-subscriptions page: leave the lists not kept, rejoin those kept, or stop everything.

    Choosing lists again after stopping everything starts e-mail again: the person asked for it.
    """
    keep_ids = {item.pk for item in keep}
    with transaction.atomic(), acting_as(None):
        for item in lists_reaching(contact):
            if item.pk not in keep_ids:
                item.opted_out.add(contact)
        for item in DistributionList.objects.filter(pk__in=keep_ids, opted_out=contact):
            item.opted_out.remove(contact)
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        locked.unsubscribed_at = (locked.unsubscribed_at or timezone.now()) if stop_all else None
        locked.save(update_fields=["unsubscribed_at", "updated_at"])
        contact.unsubscribed_at = locked.unsubscribed_at


def withdraw_email_links(*, actor: Any, contact: Contact) -> None:
    """Stop this contact's manage and unsubscribe links working (a forwarded e-mail); nobody else's change.
    The next e-mail they get carries working ones."""
    with transaction.atomic():
        for purpose in (MANAGE_PURPOSE, UNSUBSCRIBE_PURPOSE):
            signed_links.revoke_links(actor=actor, purpose=purpose, subject=contact_subject(contact))


def send_manage_link(*, email: str) -> int:
    """E-mail a fresh manage link to every contact with this address (none: nothing is sent, and the caller
    says the same either way, so the form cannot tell who is on the lists). Returns how many were sent."""
    contacts = list(Contact.objects.filter(email__iexact=email.strip()).exclude(email=""))
    for contact in contacts:
        send_email(
            to=contact.email,
            template="network_manage_link",
            context={"contact_name": contact.name, "manage_url": manage_link(contact)},
            dedupe_key=f"network-manage-link:{contact.uuid}:{timezone.now():%Y%m%d%H%M}",  # one a minute at most
        )
    return len(contacts)
