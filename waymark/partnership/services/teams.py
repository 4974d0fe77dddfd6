"""Writes to CDW teams: administrators set them up (name, employer, line manager, workers). Who is in a team
decides who sees whose balance, so every change is audited with its workers in one history row."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.text import refuse_nul_characters
from waymark.partnership.models import CdwTeam

TEAM_FIELDS = ("name", "organisation", "manager")


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return dict(data)


def _check_may_manage(actor: Any) -> None:
    if actor is not None and not policy.can(actor, "cdw_team.manage"):
        raise PermissionDenied(_("Only administrators set up CDW teams."))


def _validate(team: CdwTeam, workers: list[Any]) -> None:
    refuse_nul_characters(team)
    errors: dict[str, str] = {}
    if team.name and CdwTeam.objects.filter(name__iexact=team.name.strip()).exclude(pk=team.pk).exists():
        errors["name"] = _("Another team has this name.")
    if team.manager_id is not None and any(worker.pk == team.manager_id for worker in workers):
        errors["workers"] = _("The line manager cannot also be one of the team's workers.")
    if errors:
        raise ValidationError(errors)
    team.full_clean(exclude=["workers"], validate_unique=False)


def create_team(*, actor: Any, data: Mapping[str, Any], workers: Iterable[Any] = ()) -> CdwTeam:
    """A new team with its line manager and workers."""
    _check_may_manage(actor)
    team = CdwTeam(**_only(data, TEAM_FIELDS))
    team.name = team.name.strip()
    workers = list(workers)
    _validate(team, workers)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(team, {"workers": workers})
    return team


def change_team(*, actor: Any, team: CdwTeam, data: Mapping[str, Any], workers: Iterable[Any] | None = None) -> CdwTeam:
    """Change a team's particulars and, when given, its workers (who then leave or join its balance)."""
    _check_may_manage(actor)
    for name, value in _only(data, TEAM_FIELDS).items():
        setattr(team, name, value)
    team.name = team.name.strip()
    chosen = list(workers) if workers is not None else list(team.workers.all())
    _validate(team, chosen)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(team, {"workers": chosen} if workers is not None else {})
    return team
