"""Writing a contact import's plan (``network.contact_import`` reads the file and makes the plan)."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from waymark.core.audit import acting_as
from waymark.network.contact_import import ImportFailed, ImportPlan
from waymark.network.models import Contact, Network
from waymark.network.services.people import add_member, create_contact, update_contact


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def apply_plan(*, plan: ImportPlan, actor: Any, network: Network | None = None) -> ImportResult:
    """Write a plan with no problems, all in one transaction: new contacts, the changed fields, memberships."""
    if plan.errors:
        raise ImportFailed(plan.errors.listed)
    with transaction.atomic(), acting_as(actor):
        existing = Contact.objects.in_bulk([row.contact_id for row in plan.changed + plan.unchanged])
        contacts = {row.row: existing[row.contact_id] for row in plan.changed + plan.unchanged}
        for row in plan.new + plan.changed:
            if row.row in contacts:
                update_contact(actor=actor, contact=contacts[row.row], data=row.values)
            else:
                contacts[row.row] = create_contact(actor=actor, data=row.values)
        if network is not None:
            for contact in contacts.values():
                add_member(network=network, contact=contact, actor=actor)
    return ImportResult(created=len(plan.new), updated=len(plan.changed), unchanged=len(plan.unchanged))
