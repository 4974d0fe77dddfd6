"""Gradings on other pages: a plan's links to its competency self-assessment, evidence pack and EDS
gradings (the plan page's slot), and the year and overall rating of a grading in lists."""

from typing import Any

from django import template

from waymark.core import policy
from waymark.plans import gradings
from waymark.plans.choices import PlanType
from waymark.plans.models import EdsGrading, Plan

register = template.Library()


@register.filter
def eds_year(year: int) -> str:
    """2025 → "2025/26"."""
    return gradings.year_label(int(year))


@register.simple_tag
def eds_overall(grading: EdsGrading) -> gradings.Overall:
    """The grading's total and band, from its grades as fetched (prefetch them in lists)."""
    return gradings.grading_overall(grading)


@register.inclusion_tag("plans/grading/_plan_links.html", takes_context=True)
def plan_grading_links(context: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """For a PCREF plan, its competency self-assessment and (to those who may) its evidence pack; for an EDS
    2022 plan, the owner's gradings year on year."""
    user = context["request"].user
    return {
        "plan": plan,
        "can_pack": plan.plan_type == PlanType.PCREF and policy.can(user, "plan.evidence_pack", plan),
        "is_pcref": plan.plan_type == PlanType.PCREF,
        "is_eds": plan.plan_type == PlanType.EDS,
    }
