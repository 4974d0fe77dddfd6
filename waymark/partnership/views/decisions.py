"""A partnership's decision log: the list, a decision, and recording or changing one.

Working users read (``partnership.view``); staff and administrators record (``partnership.manage``).
Decisions come from ``visible_to(user)``, and each link they carry through ``partnership.decision_log``,
which reads every link through its own model's ``visible_to``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.lists import filtered_list_page
from waymark.core.permissions import require_permission
from waymark.core.views_forms import service_form_page
from waymark.partnership import decision_log
from waymark.partnership.filtersets_decisions import DecisionFilterSet
from waymark.partnership.forms_decisions import DecisionForm
from waymark.partnership.models import Decision, Partnership
from waymark.partnership.services import decisions as services

DECISIONS_PER_PAGE = 25
FORM_TEMPLATE = "partnership/decision_form.html"


def _crumbs(partnership: Partnership, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Partnerships"), reverse("partnership:partnership_list")),
        (partnership.name, partnership.get_absolute_url()),
        *extra,
    ]


def _log_crumbs(partnership: Partnership) -> list[tuple[str, str]]:
    return _crumbs(partnership, (_("Decisions"), reverse("partnership:decision_list", args=[partnership.uuid])))


def _posted(request: HttpRequest) -> Any:
    """The POST data, even when empty: an empty form sent is refused with its errors, not shown afresh."""
    return request.POST if request.method == "POST" else None


def _partnership(request: HttpRequest, uuid: Any) -> Partnership:
    return get_object_or_404(Partnership.objects.visible_to(request.user), uuid=uuid)


def _decision(request: HttpRequest, uuid: Any) -> Decision:
    rows = Decision.objects.visible_to(request.user).select_related("partnership", "recorded_by")
    return get_object_or_404(rows, uuid=uuid)


@require_permission("partnership.view")
def decision_list(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The log, newest first, with the evidence each decision rests on that the viewer may see."""
    partnership = _partnership(request, uuid)
    rows = decision_log.decisions_seen(partnership, request.user)
    return filtered_list_page(
        request,
        DecisionFilterSet(request.GET or None, queryset=rows, request=request, partnership=partnership),
        per_page=DECISIONS_PER_PAGE,
        template="partnership/decision_list.html",
        rows_template="partnership/_decision_rows.html",
        rows_name="decisions",
        context={
            "partnership": partnership,
            "can_manage": policy.can(request.user, "partnership.manage"),
            "breadcrumbs": _crumbs(partnership),
        },
    )


@require_permission("partnership.view")
def decision_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    decision = _decision(request, uuid)
    return render(
        request,
        "partnership/decision_detail.html",
        {
            "decision": decision,
            "links": decision_log.links_seen(decision, request.user),
            "can_manage": policy.can(request.user, "partnership.manage"),
            "breadcrumbs": _log_crumbs(decision.partnership),
        },
    )


@require_permission("partnership.manage")
def decision_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    partnership = _partnership(request, uuid)
    form = DecisionForm(_posted(request), user=request.user, partnership=partnership)
    return service_form_page(
        request,
        form,
        save=lambda: services.record_decision(
            actor=request.user, partnership=partnership, data=form.particulars(), links=form.links()
        ),
        saved_message=_("The decision is in the log."),
        next_page=lambda decision: decision,
        template=FORM_TEMPLATE,
        context={
            "heading": _("Record a decision"),
            "caption": partnership.name,
            "breadcrumbs": _log_crumbs(partnership),
        },
    )


@require_permission("partnership.manage")
def decision_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    decision = _decision(request, uuid)
    partnership = decision.partnership
    form = DecisionForm(_posted(request), instance=decision, user=request.user, partnership=partnership)
    return service_form_page(
        request,
        form,
        save=lambda: services.change_decision(
            actor=request.user, decision=decision, data=form.particulars(), links=form.links()
        ),
        saved_message=_("The decision is saved."),
        next_page=lambda decision: decision,
        template=FORM_TEMPLATE,
        context={
            "heading": _("Change the decision"),
            "caption": partnership.name,
            "breadcrumbs": [
                *_log_crumbs(partnership),
                (Truncator(decision.decision).chars(60), decision.get_absolute_url()),
            ],
        },
    )
