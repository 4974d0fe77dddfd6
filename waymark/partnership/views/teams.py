"""CDW teams and balances: a worker's own balance, a team's page of aggregates, one worker's balance for them
and their line manager, and the administrators' pages that set teams up.

Managers support "by macro, not micro-management": the team page shows the team's sums alone, never anyone's
entries; a worker's own balance is seen by that worker and their line manager only (``cdw_balance.view``)."""

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.accounts.models import User
from waymark.core import policy
from waymark.core.lists import page_of
from waymark.core.permissions import check_permission, require_permission
from waymark.core.views_forms import service_form_page
from waymark.partnership import balances
from waymark.partnership.charts import balance_chart
from waymark.partnership.forms_teams import TeamForm
from waymark.partnership.models import CdwTeam
from waymark.partnership.services import teams as team_services

QUARTERS_PER_PAGE = 4  # a year on each page
TEAMS_PER_PAGE = 50


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), *extra]


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _balance_context(request: HttpRequest, quarters: list[balances.QuarterBalance]) -> dict[str, Any]:
    """The page of quarters the request asks for, with the chart drawn from the same quarters as the table."""
    page = page_of(request, quarters, QUARTERS_PER_PAGE)
    limit = settings.CDW_FUNCTION_SHARE_WARNING
    return {
        "page": page,
        "chart": balance_chart(list(page.object_list), limit) if page.object_list else "",
        "limit": limit,
        "functions": balances.FUNCTIONS,
        "warned": [quarter for quarter in page.object_list if quarter.warnings],
    }


def _team(request: HttpRequest, uuid: Any) -> CdwTeam:
    """The team, if the user may read its page: its manager, its workers and administrators."""
    team = get_object_or_404(CdwTeam.objects.select_related("organisation", "manager"), uuid=uuid)
    check_permission(request, "cdw_team.view", team)
    return team


@require_permission("cdw_activity.record")
def my_balance(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = CdwTeam.objects.filter(Q(manager_id=user.pk) | Q(workers=user.pk)).distinct().order_by("name")
    return render(
        request,
        "partnership/balance_mine.html",
        {
            **_balance_context(request, balances.worker_balance(user)),
            "teams_managed": [team for team in teams if team.manager_id == user.pk],
            "teams_in": [team for team in teams if team.manager_id != user.pk],
            "breadcrumbs": _crumbs(),
        },
    )


@require_permission("cdw_team.view")
def team_list(request: HttpRequest) -> HttpResponse:
    rows = (
        CdwTeam.objects.visible_to(request.user)
        .select_related("organisation", "manager")
        .annotate(worker_count=Count("workers", distinct=True))
        .order_by("name")
    )
    return render(
        request,
        "partnership/team_list.html",
        {
            "page": page_of(request, rows, TEAMS_PER_PAGE),
            "can_manage": policy.can(request.user, "cdw_team.manage"),
            "breadcrumbs": _crumbs(),
        },
    )


@require_permission("cdw_team.view")
def team_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    team = _team(request, uuid)
    workers = list(team.workers.order_by("full_name", "username"))
    places = {place.user_id: place for place in CdwTeam.workers.through.objects.filter(cdwteam=team)}
    for place in places.values():
        place.cdwteam = team  # the rule reads the team's manager from it: no query per worker
    links = {pk for pk, place in places.items() if policy.can(request.user, "cdw_balance.view", place)}
    return render(
        request,
        "partnership/team_detail.html",
        {
            **_balance_context(request, balances.team_balance(team)),
            "team": team,
            "workers": [(worker, worker.pk in links) for worker in workers],
            "can_manage": policy.can(request.user, "cdw_team.manage"),
            "breadcrumbs": _crumbs((_("CDW teams"), reverse("partnership:team_list"))),
        },
    )


@require_permission("cdw_balance.view")
def worker_balance(request: HttpRequest, uuid: str, user_id: int) -> HttpResponse:
    team = get_object_or_404(CdwTeam.objects.select_related("organisation", "manager"), uuid=uuid)
    place = CdwTeam.workers.through.objects.filter(cdwteam=team, user_id=user_id).select_related("user").first()
    if place is None:
        raise Http404
    place.cdwteam = team
    check_permission(request, "cdw_balance.view", place)
    worker: User = place.user
    crumbs = _crumbs((_("CDW teams"), reverse("partnership:team_list")), (team.name, team.get_absolute_url()))
    return render(
        request,
        "partnership/balance_worker.html",
        {
            **_balance_context(request, balances.worker_balance(worker)),
            "team": team,
            "worker": worker,
            "breadcrumbs": crumbs,
        },
    )


def _form_page(request: HttpRequest, form: TeamForm, *, team: CdwTeam | None) -> HttpResponse:
    def save() -> CdwTeam:
        workers = form.cleaned_data["workers"]
        if team is None:
            return team_services.create_team(actor=request.user, data=form.particulars(), workers=workers)
        return team_services.change_team(actor=request.user, team=team, data=form.particulars(), workers=workers)

    heading = _("Set up a CDW team") if team is None else _("Change the team")
    crumbs = _crumbs((_("CDW teams"), reverse("partnership:team_list")))
    if team is not None:
        crumbs.append((team.name, team.get_absolute_url()))
    return service_form_page(
        request,
        form,
        save=save,
        saved_message=_("The team is set up.") if team is None else _("Saved."),
        next_page=lambda saved: saved,
        template="partnership/team_form.html",
        context={"heading": heading, "team": team, "breadcrumbs": crumbs},
    )


@require_permission("cdw_team.manage")
def team_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, TeamForm(_posted(request)), team=None)


@require_permission("cdw_team.manage")
def team_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    team = get_object_or_404(CdwTeam, uuid=uuid)
    return _form_page(request, TeamForm(_posted(request), instance=team), team=team)
