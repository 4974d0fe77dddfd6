"""Indicators: attach a monitoring figure to an action or objective (analysts), and the page that shows its latest
value with the interval, the trend, where it lies against the target and the suggested rating.

The figures on these pages come from ``plans.indicator_values``, which asks monitoring's dashboard: the reader
sees unsuppressed values only where monitoring allows, disclosure-controlled values otherwise.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.permissions import require_permission
from waymark.core.views_forms import service_form_page
from waymark.monitoring import dashboards
from waymark.monitoring.choices import Measure
from waymark.monitoring.permissions import monitoring_provider_ids
from waymark.plans import indicator_values
from waymark.plans.choices import RAG_DEFINITIONS
from waymark.plans.forms_indicators import FORM_FIELDS, IndicatorForm
from waymark.plans.models import Action, Indicator, Objective, Plan
from waymark.plans.services.indicators import attach_indicator, change_indicator, remove_indicator


def _providers(user: Any) -> Any:
    """Providers with figures that the user may see unsuppressed: the only ones they may set a target on."""
    return dashboards.providers_with_figures().filter(pk__in=monitoring_provider_ids(user))


def _crumbs(plan: Plan, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Action plans"), reverse("plans:plan_list")),
        (plan.title, plan.get_absolute_url()),
        *extra,
    ]


def _owner_of(indicator: Indicator) -> tuple[Plan, str, str]:
    """The plan, and the name and address of the action or objective the indicator belongs to."""
    if indicator.action_id:
        action = indicator.action
        assert action is not None
        return action.objective.plan, f"{action.code} {action.title}", action.get_absolute_url()
    objective = indicator.objective
    assert objective is not None
    url = f"{objective.plan.get_absolute_url()}#objective-{slugify(objective.code)}"
    return objective.plan, _("Objective %(code)s: %(title)s") % {"code": objective.code, "title": objective.title}, url


def _visible_indicators(user: Any) -> Any:
    return Indicator.objects.visible_to(user).select_related(
        "action__objective__plan", "objective__plan", "provider", "area", "grouping"
    )


def _attach_page(
    request: HttpRequest, *, plan: Plan, action: Action | None, objective: Objective | None, name: str, back: str
) -> HttpResponse:
    form = IndicatorForm(request.POST or None, providers=_providers(request.user))
    return service_form_page(
        request,
        form,
        save=lambda: attach_indicator(actor=request.user, action=action, objective=objective, data=form.values()),
        saved_message=_("Indicator attached."),
        next_page=lambda indicator: indicator.get_absolute_url(),
        template="plans/indicator_form.html",
        context={
            "heading": _("Attach an indicator"),
            "attached_to": name,
            "back": back,
            "breadcrumbs": _crumbs(plan, (name, back)) if action else _crumbs(plan),
        },
    )


@require_permission("plan_indicator.manage")
def indicator_attach_action(request: HttpRequest, uuid: str) -> HttpResponse:
    action = get_object_or_404(Action.objects.visible_to(request.user).select_related("objective__plan"), uuid=uuid)
    return _attach_page(
        request,
        plan=action.objective.plan,
        action=action,
        objective=None,
        name=f"{action.code} {action.title}",
        back=action.get_absolute_url(),
    )


@require_permission("plan_indicator.manage")
def indicator_attach_objective(request: HttpRequest, uuid: str) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.visible_to(request.user).select_related("plan"), uuid=uuid)
    return _attach_page(
        request,
        plan=objective.plan,
        action=None,
        objective=objective,
        name=_("Objective %(code)s: %(title)s") % {"code": objective.code, "title": objective.title},
        back=f"{objective.plan.get_absolute_url()}#objective-{slugify(objective.code)}",
    )


@require_permission("plan.view")
def indicator_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    indicator = get_object_or_404(_visible_indicators(request.user), uuid=uuid)
    plan, name, back = _owner_of(indicator)
    memo = indicator_values.DashboardMemo()
    value = indicator_values.indicator_value(indicator, request.user, memo=memo)
    latest = value.latest
    dashboard_url = reverse("monitoring:provider_dashboard", args=[indicator.provider.uuid])
    if latest is not None:
        dashboard_url += "?" + urlencode({"year": latest.year, "area": indicator.area.pk})
    return render(
        request,
        "plans/indicator_detail.html",
        {
            "indicator": indicator,
            "value": value,
            "published": indicator_values.public_indicator_value(indicator, memo=memo),
            "action": indicator.action,
            "plan": plan,
            "attached_to": name,
            "back": back,
            "dashboard_url": dashboard_url,
            "measure_label": dict(Measure.choices).get(indicator.measure, indicator.measure),
            "baseline_label": dashboards.financial_year_label(indicator.baseline_year),
            "edit_url": reverse("plans:indicator_edit", args=[indicator.uuid]),
            "remove_url": reverse("plans:indicator_remove", args=[indicator.uuid]),
            "can_manage": policy.can(request.user, "plan_indicator.manage"),
            "rag_rule": indicator_values.SUGGESTED_RAG_RULE,
            "unmoved_rule": indicator_values.UNMOVED_RULE,
            "rag_definitions": RAG_DEFINITIONS.items(),
            "breadcrumbs": _crumbs(plan, (name, back)) if indicator.action_id else _crumbs(plan),
        },
    )


@require_permission("plan_indicator.manage")
def indicator_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    indicator = get_object_or_404(_visible_indicators(request.user), uuid=uuid)
    plan, name, back = _owner_of(indicator)
    initial = {field: getattr(indicator, field) for field in FORM_FIELDS}
    form = IndicatorForm(request.POST or None, initial=initial, providers=_providers(request.user))
    return service_form_page(
        request,
        form,
        save=lambda: change_indicator(actor=request.user, indicator=indicator, data=form.values()),
        saved_message=_("Indicator changed."),
        next_page=lambda saved: saved.get_absolute_url(),
        template="plans/indicator_form.html",
        context={
            "heading": _("Change the indicator"),
            "attached_to": name,
            "back": indicator.get_absolute_url(),
            "breadcrumbs": _crumbs(plan, (name, back)) if indicator.action_id else _crumbs(plan),
        },
    )


@require_permission("plan_indicator.manage")
def indicator_remove(request: HttpRequest, uuid: str) -> HttpResponse:
    indicator = get_object_or_404(_visible_indicators(request.user), uuid=uuid)
    plan, name, back = _owner_of(indicator)
    if request.method == "POST":
        remove_indicator(actor=request.user, indicator=indicator)
        messages.success(request, _("Indicator removed. The monitoring figures themselves are unchanged."))
        return redirect(back)
    return render(
        request,
        "plans/indicator_remove.html",
        {
            "indicator": indicator,
            "attached_to": name,
            "back": indicator.get_absolute_url(),
            "breadcrumbs": _crumbs(plan, (name, back)) if indicator.action_id else _crumbs(plan),
        },
    )
