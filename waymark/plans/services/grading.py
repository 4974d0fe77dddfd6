"""Writes to gradings: an organisation's yearly EDS 2022 grading (eleven outcomes, who graded, when, by when
it must be published) and a PCREF plan's self-assessment against the six organisational competencies.

A competency assessment is never overwritten by a later one: each date is a row, so the plan's history of
self-assessment reads as the rows by date (a second assessment on the same day corrects that day's row).
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.models import Organisation
from waymark.plans.choices import CompetencyLevel, EdsGrade, GraderRole, PlanType
from waymark.plans.gradings import EDS_FIRST_YEAR, eds_outcomes, grade_field, pcref_competencies
from waymark.plans.models import CompetencyAssessment, EdsGrader, EdsGrading, EdsOutcomeGrade, Plan
from waymark.plans.services.plans import _only, _validate

GRADING_FIELDS = ("graded_on", "publish_by", "evidence", "plan")

Grades = Mapping[str, tuple[int | str | None, str]]
Graders = Iterable[tuple[Organisation, str]]


def _check_year(year: Any, organisation: Organisation, grading: EdsGrading | None = None) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter the year graded, like 2025 for 2025/26.")}) from None
    latest = timezone.localdate().year + 1
    if not EDS_FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {"year": _("Enter a year from %(first)s to %(latest)s.") % {"first": EDS_FIRST_YEAR, "latest": latest}}
        )
    same = EdsGrading.objects.filter(organisation=organisation, year=year)
    if grading is not None:
        same = same.exclude(pk=grading.pk)
    if same.exists():
        raise ValidationError(
            {
                "year": _("%(organisation)s already has an EDS 2022 grading for %(year)s/%(next)02d.")
                % {"organisation": organisation.name, "year": year, "next": (year + 1) % 100}
            }
        )
    return year


def _check_dates(grading: EdsGrading) -> None:
    errors: dict[str, str] = {}
    if grading.graded_on and grading.graded_on > timezone.localdate():
        errors["graded_on"] = _("The date graded cannot be in the future.")
    if not grading.publish_by:
        errors["publish_by"] = _("Enter the date by which the grading must be published.")
    elif grading.graded_on and grading.publish_by < grading.graded_on:
        errors["publish_by"] = _("The date to publish by cannot be before the date graded.")
    if errors:
        raise ValidationError(errors)


def _check_plan(grading: EdsGrading) -> None:
    if grading.plan is not None and grading.plan.owner_id != grading.organisation_id:
        raise ValidationError(
            {"plan": _("Choose a plan that %(organisation)s owns.") % {"organisation": grading.organisation}}
        )


def _clean_grades(grades: Grades) -> dict[str, tuple[int, str]]:
    """Every current outcome graded 0 to 3: refused on each missing or out-of-range outcome's field."""
    outcomes = {outcome.code: outcome for outcome in eds_outcomes()}
    unknown = set(grades) - set(outcomes)
    if unknown:
        raise TypeError(f"Not EDS 2022 outcomes: {', '.join(sorted(unknown))}")
    errors: dict[str, str] = {}
    cleaned: dict[str, tuple[int, str]] = {}
    for code, outcome in outcomes.items():
        grade, evidence = grades.get(code, (None, ""))
        if grade is None or grade == "":
            errors[grade_field(code)] = _("Grade outcome %(code)s: %(title)s.") % {"code": code, "title": outcome.title}
            continue
        try:
            value = int(grade)
        except (TypeError, ValueError):
            value = -1
        if value not in EdsGrade.values:
            errors[grade_field(code)] = _("Grade outcome %(code)s from 0 to 3.") % {"code": code}
            continue
        cleaned[code] = (value, (evidence or "").strip())
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_graders(graders: Graders) -> list[tuple[Organisation, str]]:
    """Who graded, at least one organisation, each with a role; a repeated pair counts once."""
    cleaned: dict[tuple[int, str], tuple[Organisation, str]] = {}
    for organisation, role in graders:
        if role not in GraderRole.values:
            raise ValidationError(
                {
                    "graders": _("Choose whether %(organisation)s graded as staff, stakeholders or peers.")
                    % {"organisation": organisation}
                }
            )
        cleaned[(organisation.pk, role)] = (organisation, role)
    if not cleaned:
        raise ValidationError({"graders": _("Add at least one organisation that took part in the grading.")})
    return list(cleaned.values())


def _save_grades(grading: EdsGrading, grades: dict[str, tuple[int, str]]) -> None:
    outcomes = {outcome.code: outcome for outcome in eds_outcomes()}
    existing = {row.outcome_id: row for row in grading.grades.all()}
    for code, (grade, evidence) in grades.items():
        row = existing.get(outcomes[code].pk) or EdsOutcomeGrade(grading=grading, outcome=outcomes[code])
        if row.pk is None or (row.grade, row.evidence) != (grade, evidence):
            row.grade, row.evidence = grade, evidence
            _validate(row)
            row.save()


def _save_graders(grading: EdsGrading, graders: list[tuple[Organisation, str]]) -> None:
    wanted = {(organisation.pk, role) for organisation, role in graders}
    for row in grading.graders.all():
        if (row.organisation_id, row.role) not in wanted:
            row.delete()
        else:
            wanted.discard((row.organisation_id, row.role))
    for organisation_id, role in sorted(wanted):
        EdsGrader.objects.create(grading=grading, organisation_id=organisation_id, role=role)


def record_eds_grading(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    data: Mapping[str, Any],
    grades: Grades,
    graders: Graders,
) -> EdsGrading:
    """An organisation's EDS 2022 grading for a year: all eleven outcomes, who graded and when, and the date
    by which it must be published. One grading per organisation and year."""
    year = _check_year(year, organisation)
    grading = EdsGrading(organisation=organisation, year=year, created_by=actor, **_only(data, GRADING_FIELDS))
    cleaned_grades = _clean_grades(grades)
    _check_dates(grading)
    _check_plan(grading)
    cleaned_graders = _clean_graders(graders)
    _validate(grading)
    with transaction.atomic(), acting_as(actor):
        grading.save()
        _save_grades(grading, cleaned_grades)
        _save_graders(grading, cleaned_graders)
    return grading


def change_eds_grading(
    *,
    actor: Any,
    grading: EdsGrading,
    data: Mapping[str, Any],
    grades: Grades | None = None,
    graders: Graders | None = None,
    year: int | None = None,
) -> EdsGrading:
    """Correct a grading: its dates, evidence, grades or graders. The history keeps what it said before."""
    if year is not None:
        grading.year = _check_year(year, grading.organisation, grading)
    for field, value in _only(data, GRADING_FIELDS).items():
        setattr(grading, field, value)
    cleaned_grades = _clean_grades(grades) if grades is not None else None
    _check_dates(grading)
    _check_plan(grading)
    cleaned_graders = _clean_graders(graders) if graders is not None else None
    if grading.published_on and grading.published_on < grading.graded_on:
        raise ValidationError({"graded_on": _("The date graded cannot be after the date it was published.")})
    _validate(grading)
    with transaction.atomic(), acting_as(actor):
        grading.save()
        if cleaned_grades is not None:
            _save_grades(grading, cleaned_grades)
        if cleaned_graders is not None:
            _save_graders(grading, cleaned_graders)
    return grading


def publish_eds_grading(*, actor: Any, grading: EdsGrading, published_on: datetime.date | None = None) -> EdsGrading:
    """Mark the grading published (EDS 2022 asks organisations to publish their grades); the public then see it."""
    published_on = published_on or timezone.localdate()
    if grading.published_on:
        raise ValidationError(
            {
                "published_on": _("This grading was already published on %(date)s.")
                % {"date": f"{grading.published_on:%d/%m/%Y}"}
            }
        )
    if published_on < grading.graded_on:
        raise ValidationError({"published_on": _("A grading cannot be published before the date it was graded.")})
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("The date published cannot be in the future.")})
    with transaction.atomic(), acting_as(actor):
        locked = EdsGrading.objects.select_for_update().get(pk=grading.pk)
        if locked.published_on:
            raise ValidationError({"published_on": _("This grading was already published.")})
        locked.published_on = published_on
        locked.save()
    grading.published_on = published_on
    return grading


def assess_competency(
    *,
    actor: Any,
    plan: Plan,
    competency: Any,
    level: str,
    evidence: str,
    assessed_on: datetime.date | None,
) -> CompetencyAssessment:
    """A PCREF plan's self-assessment against one competency as of a date; earlier dates stay as they were."""
    if plan.plan_type != PlanType.PCREF:
        raise ValidationError(
            {"plan": _("Only a PCREF plan is self-assessed against the organisational competencies.")}
        )
    if competency is None or competency.pk not in {item.pk for item in pcref_competencies()}:
        raise ValidationError({"competency": _("Choose one of the six PCREF organisational competencies.")})
    errors: dict[str, str] = {}
    if level not in CompetencyLevel.values:
        errors["level"] = _("Choose how far %(competency)s has got.") % {"competency": competency.title}
    evidence = (evidence or "").strip()
    if level != CompetencyLevel.NOT_STARTED and level in CompetencyLevel.values and not evidence:
        errors["evidence"] = _("Say what shows %(competency)s is %(level)s.") % {
            "competency": competency.title,
            "level": CompetencyLevel(level).label.lower(),
        }
    if assessed_on is None:
        errors["assessed_on"] = _("Enter the date of the assessment.")
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The date of the assessment cannot be in the future.")
    if errors or assessed_on is None:
        raise ValidationError(errors)
    assessment = CompetencyAssessment.objects.filter(plan=plan, competency=competency, assessed_on=assessed_on).first()
    if assessment is None:
        assessment = CompetencyAssessment(plan=plan, competency=competency, assessed_on=assessed_on)
    assessment.level, assessment.evidence = level, evidence
    assessment.assessed_by = actor if getattr(actor, "pk", None) else None
    _validate(assessment)
    with transaction.atomic(), acting_as(actor):
        assessment.save()
    return assessment
