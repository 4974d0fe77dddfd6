"""Attaching a monitoring figure to an action or objective, changing its target and removing it.

Only the cell is stored (measure, provider, area, grouping, group and reference, which figure, target,
direction and baseline year); the value is always read through ``plans.indicator_values``. An analyst may set a
target only on a figure monitoring lets them see unsuppressed (the dashboard's own rule,
``monitoring.dashboards.shows_unsuppressed``): anything else is refused on the provider, so nobody sets a
target against counts they may not see.
"""

import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as
from waymark.monitoring import dashboards
from waymark.monitoring.choices import Measure
from waymark.monitoring.models import AnalysisGroup
from waymark.plans.choices import Statistic
from waymark.plans.models import Action, Indicator, Objective
from waymark.plans.services.plans import _only, _validate

INDICATOR_FIELDS = (
    "title",
    "measure",
    "provider",
    "area",
    "grouping",
    "group",
    "reference_group",
    "statistic",
    "target",
    "direction",
    "baseline_year",
)


def _check_permission(actor: Any, check_access: bool) -> None:
    if check_access and not policy.can(actor, "plan_indicator.manage"):
        raise PermissionDenied(_("Only analysts and administrators attach indicators."))


def _check_cell(actor: Any, indicator: Indicator, *, check_access: bool) -> None:
    """Refuse, on the field at fault, a cell the actor may not see or that the figures cannot answer."""
    errors: dict[str, str] = {}
    if indicator.measure not in Measure.values:
        errors["measure"] = _("Choose a measure monitoring counts.")
    provider = indicator.provider if indicator.provider_id else None
    if provider is not None and check_access and not dashboards.shows_unsuppressed(actor, provider):
        errors["provider"] = _(
            "You may not see %(provider)s's figures unsuppressed, so you cannot set a target on them. Ask one "
            "of its analysts, or an administrator to record a data-sharing agreement."
        ) % {"provider": provider.name}
    if indicator.area_id and not dashboards.areas_with_population().filter(pk=indicator.area_id).exists():
        errors["area"] = _("There are no population figures for %(area)s: choose an area they cover.") % {
            "area": indicator.area.name
        }
    if indicator.grouping_id:
        labels = set(AnalysisGroup.objects.filter(grouping_id=indicator.grouping_id).values_list("label", flat=True))
        grouping = indicator.grouping.name
        if indicator.group not in labels:
            errors["group"] = _("%(group)s is not a group of %(grouping)s.") % {
                "group": indicator.group or _("(empty)"),
                "grouping": grouping,
            }
        if indicator.reference_group not in labels:
            errors["reference_group"] = _("%(group)s is not a group of %(grouping)s.") % {
                "group": indicator.reference_group or _("(empty)"),
                "grouping": grouping,
            }
        elif indicator.statistic == Statistic.RATIO_TO_REFERENCE and indicator.group == indicator.reference_group:
            errors["reference_group"] = _("Compare the group with a different reference group.")
    if indicator.target is None or not math.isfinite(indicator.target) or indicator.target < 0:
        errors["target"] = _("Enter the target as a number of 0 or more, for example 1.5 for a rate ratio.")
    elif indicator.statistic != Statistic.RATE and indicator.target == 0:
        errors["target"] = _("A rate ratio's target must be more than 0; 1 means no difference.")
    if provider is not None and "provider" not in errors:
        years = dashboards.years_for(provider)
        if indicator.baseline_year not in years:
            message = _("%(provider)s has no figures for %(year)s. Years with figures: %(years)s.")
            errors["baseline_year"] = message % {
                "provider": provider.name,
                "year": dashboards.financial_year_label(indicator.baseline_year or 0),
                "years": ", ".join(str(year) for year in sorted(years)) or _("none"),
            }
    if errors:
        raise ValidationError(errors)


def attach_indicator(
    *,
    actor: Any,
    action: Action | None = None,
    objective: Objective | None = None,
    data: Mapping[str, Any],
    check_access: bool = True,
) -> Indicator:
    """Attach a figure to an action or an objective (exactly one). ``check_access`` is off only for the demo,
    which seeds as the system."""
    if (action is None) == (objective is None):
        raise TypeError("Attach an indicator to an action or to an objective, not both or neither.")
    _check_permission(actor, check_access)
    indicator = Indicator(
        action=action,
        objective=objective,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_only(data, INDICATOR_FIELDS),
    )
    indicator.title = (indicator.title or "").strip()
    _check_cell(actor, indicator, check_access=check_access)
    _validate(indicator)
    with transaction.atomic(), acting_as(actor):
        indicator.save()
    return indicator


def change_indicator(
    *, actor: Any, indicator: Indicator, data: Mapping[str, Any], check_access: bool = True
) -> Indicator:
    """Change the cell, target or direction. The same refusals as attaching: the changed indicator must be a
    figure the actor may see."""
    _check_permission(actor, check_access)
    for name, value in _only(data, INDICATOR_FIELDS).items():
        setattr(indicator, name, value.strip() if name == "title" and isinstance(value, str) else value)
    _check_cell(actor, indicator, check_access=check_access)
    _validate(indicator)
    with transaction.atomic(), acting_as(actor):
        indicator.save()
    return indicator


def remove_indicator(*, actor: Any, indicator: Indicator, check_access: bool = True) -> None:
    """Stop following the figure. Removing reveals nothing, so any analyst or administrator may."""
    _check_permission(actor, check_access)
    with transaction.atomic(), acting_as(actor):
        indicator.delete()
