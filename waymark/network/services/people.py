"""Contacts, networks, memberships, terms of reference, task groups and distribution lists: the
writes every page, import, API and demo use. Who a list reaches is read in ``network.membership``.

Every write is validated (``full_clean``), audited to ``actor`` and leaves one history row.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.text import refuse_nul_characters
from waymark.network.models import (
    Contact,
    DistributionList,
    Membership,
    MembershipRole,
    Network,
    TaskGroup,
    TermsOfReference,
)


def _write[Record: models.Model](record: Record, data: Mapping[str, Any], *, actor: Any) -> Record:
    """Set ``data`` (fields and many-to-many fields by name) on ``record``, validate it and save it, audited to
    ``actor`` in one history row. A name that is not one of the record's fields is refused (FieldDoesNotExist)."""
    for name in data:
        record._meta.get_field(name)
    many_to_many = {field.name for field in record._meta.many_to_many}
    for name, value in data.items():
        if name not in many_to_many:
            setattr(record, name, value)
    with transaction.atomic(), acting_as(actor):
        refuse_nul_characters(record)
        record.full_clean()
        save_with_one_history_row(record, {name: value for name, value in data.items() if name in many_to_many})
    return record


# --- Networks and contacts ----------------------------------------------------------------------


def create_network(*, actor: Any, data: Mapping[str, Any]) -> Network:
    return _write(Network(), data, actor=actor)


def update_network(*, actor: Any, network: Network, data: Mapping[str, Any]) -> Network:
    return _write(network, data, actor=actor)


def create_contact(*, actor: Any, data: Mapping[str, Any]) -> Contact:
    """A new contact; ``data`` may name their ``interests``."""
    return _write(Contact(), data, actor=actor)


def update_contact(*, actor: Any, contact: Contact, data: Mapping[str, Any]) -> Contact:
    """Change the fields ``data`` names; the others stay as they are."""
    return _write(contact, data, actor=actor)


# --- Memberships and terms of reference ---------------------------------------------------------


def add_member(
    *,
    network: Network,
    contact: Contact,
    actor: Any,
    role: str = MembershipRole.MEMBER,
    joined: datetime.date | None = None,
) -> Membership:
    """Make ``contact`` a member of ``network``; someone already in it keeps their membership, with the new role."""
    with transaction.atomic(), acting_as(actor):
        current = Membership.objects.select_for_update().filter(network=network, contact=contact, left__isnull=True)
        membership = current.first()
        if membership is None:
            membership = Membership(network=network, contact=contact, role=role, joined=joined or timezone.localdate())
        elif membership.role == role:
            return membership
        else:
            membership.role = role
        membership.full_clean(validate_constraints=False)
        membership.save()
    return membership


def update_membership(*, actor: Any, membership: Membership, data: Mapping[str, Any]) -> Membership:
    """Change a membership's role or dates."""
    return _write(membership, data, actor=actor)


def end_membership(*, membership: Membership, actor: Any, left: datetime.date | None = None) -> Membership:
    return _write(membership, {"left": left or timezone.localdate()}, actor=actor)


def add_terms_of_reference(
    *, network: Network, text: str, actor: Any, approved_on: datetime.date | None = None
) -> TermsOfReference:
    """A new version of the terms of reference; earlier versions are kept unchanged."""
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()  # one new version at a time
        latest = network.terms_of_reference.aggregate(latest=Max("version"))["latest"] or 0
        terms = TermsOfReference(network=network, version=latest + 1)
        return _write(terms, {"text": text, "approved_on": approved_on}, actor=actor)


# --- Task groups and distribution lists ---------------------------------------------------------


def add_task_group(*, actor: Any, network: Network, data: Mapping[str, Any]) -> TaskGroup:
    """A task group of the network; ``data`` may name its ``members``."""
    return _write(TaskGroup(network=network), data, actor=actor)


def update_task_group(*, actor: Any, group: TaskGroup, data: Mapping[str, Any]) -> TaskGroup:
    return _write(group, data, actor=actor)


def create_distribution_list(*, actor: Any, network: Network, data: Mapping[str, Any]) -> DistributionList:
    """A list of the network: its rule (``all_members``, ``rule_sectors``, ``rule_interests``) and chosen people."""
    return _write(DistributionList(network=network), data, actor=actor)


def update_distribution_list(
    *, actor: Any, distribution_list: DistributionList, data: Mapping[str, Any]
) -> DistributionList:
    return _write(distribution_list, data, actor=actor)
