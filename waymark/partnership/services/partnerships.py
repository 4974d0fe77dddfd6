"""Writes to partnerships: their particulars, their member organisations with a named lead and deputy, and
who does what on the objectives of the plans they deliver. Running a partnership is ``partnership.manage``
(staff and administrators), asked here as well as at the page, so the API and commands are held to it."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.accounts.models import RoleGrant
from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.models import Organisation
from waymark.core.text import refuse_nul_characters
from waymark.partnership.choices import ResponsibilityLevel
from waymark.partnership.models import Partnership, PartnershipMember, Responsibility
from waymark.plans.models import Objective

PARTNERSHIP_FIELDS = ("name", "purpose", "terms_of_reference", "network", "area")


@dataclass(frozen=True)
class MemberRow:
    """One member organisation as the members page sends it."""

    organisation: Organisation
    lead: Any = None
    deputy: Any = None
    joined_on: date | None = None
    left_on: date | None = None


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return dict(data)


def _check_may_manage(actor: Any) -> None:
    if actor is not None and not policy.can(actor, "partnership.manage"):
        raise PermissionDenied(_("Only staff and administrators run partnerships."))


def people_at(organisation_ids: Iterable[int]) -> dict[int, set[int]]:
    """The users holding a role in force today at each organisation: who may speak for it."""
    people: dict[int, set[int]] = {}
    grants = RoleGrant.objects.current().filter(organisation_id__in=list(organisation_ids), user__is_active=True)
    for organisation_id, user_id in grants.values_list("organisation_id", "user_id"):
        people.setdefault(organisation_id, set()).add(user_id)
    return people


def _validate(partnership: Partnership) -> None:
    refuse_nul_characters(partnership)
    name = (partnership.name or "").strip()
    if name and Partnership.objects.filter(name__iexact=name).exclude(pk=partnership.pk).exists():
        raise ValidationError({"name": _("Another partnership has this name.")})
    partnership.full_clean()


def create_partnership(
    *,
    actor: Any,
    data: Mapping[str, Any],
    meeting_series: Iterable[Model] = (),
    plans: Iterable[Model] = (),
) -> Partnership:
    """A new partnership; its members are added afterwards, on its members page."""
    _check_may_manage(actor)
    partnership = Partnership(**_only(data, PARTNERSHIP_FIELDS))
    _validate(partnership)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(partnership, {"meeting_series": meeting_series, "plans": plans})
    return partnership


def change_partnership(
    *,
    actor: Any,
    partnership: Partnership,
    data: Mapping[str, Any],
    meeting_series: Iterable[Model] | None = None,
    plans: Iterable[Model] | None = None,
) -> Partnership:
    _check_may_manage(actor)
    for name, value in _only(data, PARTNERSHIP_FIELDS).items():
        setattr(partnership, name, value)
    _validate(partnership)
    m2m = {
        name: values for name, values in (("meeting_series", meeting_series), ("plans", plans)) if values is not None
    }
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(partnership, m2m)
    return partnership


def member_problems(row: MemberRow, saved: PartnershipMember | None, people: set[int]) -> dict[str, str]:
    """What is wrong with one member row, by field. ``people`` are the users holding a role at its
    organisation today; a lead or deputy already saved on the row may stay after their role has ended."""
    problems: dict[str, str] = {}
    for name, person in (("lead", row.lead), ("deputy", row.deputy)):
        unchanged = saved is not None and getattr(saved, f"{name}_id") == getattr(person, "pk", None)
        if person is not None and person.pk not in people and not unchanged:
            problems[name] = _("%(person)s holds no role at %(organisation)s: choose someone who works there.") % {
                "person": person,
                "organisation": row.organisation.name,
            }
    if row.lead is not None and row.deputy is not None and row.lead.pk == row.deputy.pk:
        problems["deputy"] = _("The deputy must be someone other than the named lead.")
    if row.joined_on and row.left_on and row.left_on < row.joined_on:
        problems["left_on"] = _("The day it left must be on or after the day it joined.")
    return problems


MEMBER_FIELD_LABELS = {
    "lead": gettext_lazy("named lead"),
    "deputy": gettext_lazy("deputy"),
    "left_on": gettext_lazy("left on"),
}


def set_members(*, actor: Any, partnership: Partnership, rows: Sequence[MemberRow]) -> list[PartnershipMember]:
    """Make the partnership's members these rows, in one go or not at all: a member not among the rows is
    taken off (one that left stays, with the day it left). A lead or deputy holds a role at the organisation
    they speak for; one named before whose role has since ended may stay until someone else is named."""
    _check_may_manage(actor)
    saved = {member.organisation_id: member for member in partnership.members.all()}
    people = people_at(row.organisation.pk for row in rows)
    errors: list[str] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        if row.organisation.pk in seen:
            errors.append(
                _("Member %(number)s: %(organisation)s is listed twice.")
                % {"number": number, "organisation": row.organisation.name}
            )
        seen.add(row.organisation.pk)
        problems = member_problems(row, saved.get(row.organisation.pk), people.get(row.organisation.pk, set()))
        errors += [
            _("Member %(number)s (%(organisation)s), %(field)s: %(problem)s")
            % {
                "number": number,
                "organisation": row.organisation.name,
                "field": MEMBER_FIELD_LABELS[name],
                "problem": problem,
            }
            for name, problem in problems.items()
        ]
    if errors:
        raise ValidationError(errors)
    kept: list[PartnershipMember] = []
    with transaction.atomic(), acting_as(actor):
        for organisation_id, member in saved.items():
            if organisation_id not in seen:
                member.delete()
        for row in rows:
            member = saved.get(row.organisation.pk) or PartnershipMember(
                partnership=partnership, organisation=row.organisation
            )
            values = {"lead": row.lead, "deputy": row.deputy, "joined_on": row.joined_on, "left_on": row.left_on}
            if member.pk is None or any(getattr(member, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(member, name, value)
                refuse_nul_characters(member)
                member.save()
            kept.append(member)
    return kept


def set_responsibilities(
    *, actor: Any, partnership: Partnership, levels: Mapping[tuple[int, int], str]
) -> list[Responsibility]:
    """Set cells of the who-does-what matrix, in one go or not at all. ``levels`` maps (objective id,
    organisation id) to a ``ResponsibilityLevel``, or "" for no part; cells not named stay as they are.
    An objective must belong to a plan the partnership delivers, and an organisation be one of its members
    (or already have a part: an organisation that left keeps its past parts until they are cleared)."""
    _check_may_manage(actor)
    objective_ids = set(Objective.objects.filter(plan__in=partnership.plans.all()).values_list("pk", flat=True))
    existing = {(cell.objective_id, cell.organisation_id): cell for cell in partnership.responsibilities.all()}
    organisation_ids = set(partnership.members.values_list("organisation_id", flat=True)) | {
        organisation_id for _objective_id, organisation_id in existing
    }
    errors: list[str] = []
    for (objective_id, organisation_id), level in levels.items():
        if objective_id not in objective_ids:
            errors.append(_("An objective chosen is not one of the partnership's plans' objectives."))
        elif organisation_id not in organisation_ids:
            errors.append(_("An organisation chosen is not a member of the partnership."))
        elif level and level not in ResponsibilityLevel.values:
            errors.append(_("Choose each part from the list: leads, contributes, consulted or kept informed."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    with transaction.atomic(), acting_as(actor):
        for (objective_id, organisation_id), level in levels.items():
            cell = existing.get((objective_id, organisation_id))
            if not level:
                if cell is not None:
                    cell.delete()
                    del existing[(objective_id, organisation_id)]
            elif cell is None:
                existing[(objective_id, organisation_id)] = Responsibility.objects.create(
                    partnership=partnership, objective_id=objective_id, organisation_id=organisation_id, level=level
                )
            elif cell.level != level:
                cell.level = level
                cell.save()
    return list(existing.values())
