"""Writes to programmes: the programme itself (money, who may apply, the published timetable, languages, areas,
communities) and its parts, each set as a whole list of rows: the form's questions, the eligibility checker's
yes/no questions, the weighted criteria assessors score, and the reporting asked by grant size.

Setting up a programme is ``programme.manage`` (grants officers and administrators), asked here as well as at the
page, so the API, the demo and commands are held to it. Every refusal names the field and the limit. The form's
questions are frozen once an application has been submitted, so every answer received means one thing; a
criterion someone has scored against stays, so no score loses what it was about.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.choices import OrganisationType
from waymark.core.models import Area, Community, Organisation
from waymark.core.text import refuse_nul_characters
from waymark.grants.budgets import committed_total
from waymark.grants.models import Criterion, EligibilityQuestion, Programme, Question, ReportingTier

# What a programme's own columns may be set to through update_programme (the parts have their own setters).
PROGRAMME_FIELDS = frozenset(
    {
        "funder",
        "code",
        "title",
        "summary",
        "criteria",
        "priorities",
        "budget",
        "minimum_award",
        "maximum_award",
        "eligible_types",
        "accepts_individuals",
        "opens_on",
        "closes_on",
        "decision_by",
        "payment_by",
        "languages",
        "panel_enabled",
        "published",
    }
)
MANY_TO_MANY = frozenset({"areas", "communities"})

# Limits, named in the refusals.
MIN_WORD_LIMIT = 10
MAX_WORD_LIMIT = 1_000
MAX_QUESTIONS = 20
MAX_ELIGIBILITY_QUESTIONS = 10
MAX_WEIGHT = 10
MAX_CRITERIA = 12
MAX_TIER_QUESTIONS = 5
MAX_TIER_QUESTION_LENGTH = 300
MAX_MONTHS_AFTER_START = 60


@dataclass(frozen=True)
class QuestionRow:
    """One question of the application form. ``key`` names the answer in every application (made from the
    text when left blank)."""

    text: str
    word_limit: int = 250
    key: str = ""
    help_text: str = ""
    required: bool = True


@dataclass(frozen=True)
class EligibilityRow:
    """One yes/no question of the public eligibility checker; ``explanation`` is shown to whoever answers
    otherwise than ``required_answer``."""

    text: str
    explanation: str
    required_answer: bool = True


@dataclass(frozen=True)
class CriterionRow:
    """One criterion assessors score 0 to 5, with its weight. ``id`` keeps a saved criterion (and its scores)."""

    title: str
    weight: int = 1
    guidance: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ReportingTierRow:
    """The reporting asked of grants up to ``up_to_amount`` (None: any larger grant)."""

    up_to_amount: Decimal | None
    questions: Sequence[str] = field(default_factory=tuple)
    months_after_start: int = 12


def _check_may_manage(actor: Any) -> None:
    if actor is not None and not policy.can(actor, "programme.manage"):
        raise PermissionDenied(_("Only grants officers and administrators set up programmes."))


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}"


def _has_submitted_application(programme: Programme) -> bool:
    return programme.pk is not None and programme.applications.filter(submitted_at__isnull=False).exists()


def programme_problems(programme: Programme) -> dict[str, str]:
    """What is wrong with the programme's own fields, by field, each message naming the limit. The page's form
    asks the same, so a refusal lands on the field it is about."""
    problems: dict[str, str] = {}
    budget, low, high = programme.budget, programme.minimum_award, programme.maximum_award
    if budget is not None and budget < 0:
        problems["budget"] = _("The budget must be £0 or more.")
    if low is not None and low <= 0:
        problems["minimum_award"] = _("The smallest award must be more than £0.")
    if low is not None and high is not None and high < low:
        problems["maximum_award"] = _("The largest award must be at least the smallest award, %(low)s.") % {
            "low": _money(low)
        }
    elif budget is not None and high is not None and high > budget:
        problems["maximum_award"] = _("The largest award must not be more than the budget, %(budget)s.") % {
            "budget": _money(budget)
        }
    if programme.pk is not None and budget is not None and "budget" not in problems:
        committed = committed_total(programme.pk)
        if budget < committed:
            problems["budget"] = _("The budget cannot be less than the awards already made from it, %(committed)s.") % {
                "committed": _money(committed)
            }
    dates = [
        ("closes_on", programme.closes_on, programme.opens_on, _("the day it opens")),
        ("decision_by", programme.decision_by, programme.closes_on, _("the day it closes")),
        ("payment_by", programme.payment_by, programme.decision_by, _("the decision date")),
    ]
    for name, later, earlier, earlier_label in dates:
        if isinstance(later, date) and isinstance(earlier, date) and later < earlier:
            problems[name] = _("This date must be on or after %(what)s, %(day)s.") % {
                "what": earlier_label,
                "day": formats.date_format(earlier, "j F Y"),
            }
    known_types = set(OrganisationType.values)
    unknown = [kind for kind in programme.eligible_types or [] if kind not in known_types]
    if unknown:
        problems["eligible_types"] = _("Unknown kind of organisation: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    elif not programme.eligible_types and not programme.accepts_individuals:
        problems["eligible_types"] = _(
            "Choose at least one kind of organisation that may apply, or accept individuals."
        )
    offered = {code for code, _name in settings.LANGUAGES}
    strange = [code for code in programme.languages or [] if code not in offered]
    if strange:
        problems["languages"] = _("The form is offered only in %(offered)s; not in %(strange)s.") % {
            "offered": ", ".join(sorted(offered)),
            "strange": ", ".join(strange),
        }
    return problems


def _validate(programme: Programme) -> None:
    refuse_nul_characters(programme)
    programme.languages = sorted(set(programme.languages or []) - {settings.LANGUAGE_CODE})
    programme.eligible_types = sorted(set(programme.eligible_types or []))
    problems = programme_problems(programme)
    if problems:
        raise ValidationError(problems)
    programme.full_clean()


def create_programme(
    *,
    actor: Any,
    funder: Organisation,
    code: str,
    title: str,
    summary: str,
    criteria: str,
    budget: Decimal,
    minimum_award: Decimal,
    maximum_award: Decimal,
    eligible_types: Iterable[str],
    opens_on: date,
    closes_on: date,
    decision_by: date,
    payment_by: date,
    languages: Iterable[str],
    priorities: str = "",
    accepts_individuals: bool = False,
    areas: Iterable[Area] = (),
    communities: Iterable[Community] = (),
    panel_enabled: bool = False,
    published: bool = False,
) -> Programme:
    """A new programme. Its questions, eligibility questions, criteria and reporting tiers are set afterwards
    with the ``set_…`` functions below (the pages do it one part at a time)."""
    _check_may_manage(actor)
    programme = Programme(
        funder=funder,
        code=code,
        title=title,
        summary=summary,
        criteria=criteria,
        priorities=priorities,
        budget=budget,
        minimum_award=minimum_award,
        maximum_award=maximum_award,
        eligible_types=list(eligible_types),
        accepts_individuals=accepts_individuals,
        opens_on=opens_on,
        closes_on=closes_on,
        decision_by=decision_by,
        payment_by=payment_by,
        languages=list(languages),
        panel_enabled=panel_enabled,
        published=published,
    )
    _validate(programme)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(programme, {"areas": list(areas), "communities": list(communities)})
    return programme


def update_programme(programme: Programme, *, actor: Any, **fields: Any) -> Programme:
    """Change the programme's own fields (any of ``create_programme``'s): only those given change. The budget
    never drops below what awards have already committed."""
    _check_may_manage(actor)
    unknown = set(fields) - PROGRAMME_FIELDS - MANY_TO_MANY
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic(), acting_as(actor):
        locked = Programme.objects.select_for_update().get(pk=programme.pk)  # awards read the budget under this lock
        for name, value in fields.items():
            if name not in MANY_TO_MANY:
                setattr(locked, name, list(value) if name in {"eligible_types", "languages"} else value)
        _validate(locked)
        save_with_one_history_row(locked, {name: list(fields[name]) for name in MANY_TO_MANY if name in fields})
    programme.refresh_from_db()
    return programme


def _refuse_nul(rows: Sequence[Any], name: str) -> None:
    for number, row in enumerate(rows, start=1):
        for value in vars(row).values():
            texts = value if isinstance(value, list | tuple) else [value]
            if any(isinstance(text, str) and "\x00" in text for text in texts):
                raise ValidationError({name: _("Row %(number)s contains a NUL character.") % {"number": number}})


def set_questions(programme: Programme, rows: Sequence[QuestionRow], *, actor: Any) -> list[Question]:
    """Make the application form's questions these rows, in this order. Refused once the programme has a
    submitted application: its answers were given to the questions as they stood."""
    _check_may_manage(actor)
    _refuse_nul(rows, "questions")
    if _has_submitted_application(programme):
        raise ValidationError(
            {"questions": _("Applications have been submitted to this programme: its questions can no longer change.")}
        )
    if len(rows) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("Ask at most %(limit)d questions.") % {"limit": MAX_QUESTIONS}})
    errors: list[str] = []
    keys: list[str] = []
    for number, row in enumerate(rows, start=1):
        key = slugify(row.key or row.text)[:40].strip("-") or f"question-{number}"
        if key in keys:
            errors.append(
                _("Question %(number)s: another question has the key %(key)s.") % {"number": number, "key": key}
            )
        keys.append(key)
        if not row.text.strip():
            errors.append(_("Question %(number)s: write the question.") % {"number": number})
        elif len(row.text) > 300:
            errors.append(_("Question %(number)s: a question must be 300 characters or fewer.") % {"number": number})
        if len(row.help_text) > 500:
            errors.append(_("Question %(number)s: a hint must be 500 characters or fewer.") % {"number": number})
        if not MIN_WORD_LIMIT <= row.word_limit <= MAX_WORD_LIMIT:
            errors.append(
                _("Question %(number)s: the word limit must be between %(low)d and %(high)d words.")
                % {"number": number, "low": MIN_WORD_LIMIT, "high": MAX_WORD_LIMIT}
            )
    if errors:
        raise ValidationError({"questions": errors})
    saved = {question.key: question for question in programme.questions.all()}
    kept: list[Question] = []
    with transaction.atomic(), acting_as(actor):
        for key, question in saved.items():
            if key not in keys:
                question.delete()
        for order, (key, row) in enumerate(zip(keys, rows, strict=True)):
            question = saved.get(key) or Question(programme=programme, key=key)
            values = {
                "text": row.text.strip(),
                "help_text": row.help_text.strip(),
                "word_limit": row.word_limit,
                "required": row.required,
                "order": order,
            }
            if question.pk is None or any(getattr(question, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(question, name, value)
                question.save()
            kept.append(question)
    return kept


def set_eligibility_questions(
    programme: Programme, rows: Sequence[EligibilityRow], *, actor: Any
) -> list[EligibilityQuestion]:
    """Make the eligibility checker's yes/no questions these rows, in this order. Each needs the explanation
    shown to someone the answer rules out (open and trusting: say why, straight away)."""
    _check_may_manage(actor)
    _refuse_nul(rows, "eligibility_questions")
    if len(rows) > MAX_ELIGIBILITY_QUESTIONS:
        raise ValidationError(
            {
                "eligibility_questions": _("Ask at most %(limit)d eligibility questions: keep the checker short.")
                % {"limit": MAX_ELIGIBILITY_QUESTIONS}
            }
        )
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not row.text.strip() or len(row.text) > 300:
            errors.append(
                _("Eligibility question %(number)s: write the question, in 300 characters or fewer.")
                % {"number": number}
            )
        if not row.explanation.strip() or len(row.explanation) > 500:
            errors.append(
                _("Eligibility question %(number)s: say why the other answer cannot apply, in 500 characters or fewer.")
                % {"number": number}
            )
    if errors:
        raise ValidationError({"eligibility_questions": errors})
    saved = list(programme.eligibility_questions.all())
    kept: list[EligibilityQuestion] = []
    with transaction.atomic(), acting_as(actor):
        for question in saved[len(rows) :]:
            question.delete()
        for order, row in enumerate(rows):
            question = saved[order] if order < len(saved) else EligibilityQuestion(programme=programme)
            values = {
                "text": row.text.strip(),
                "explanation": row.explanation.strip(),
                "required_answer": row.required_answer,
                "order": order,
            }
            if question.pk is None or any(getattr(question, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(question, name, value)
                question.save()
            kept.append(question)
    return kept


def set_criteria(programme: Programme, rows: Sequence[CriterionRow], *, actor: Any) -> list[Criterion]:
    """Make the assessment criteria these rows, in this order, each with a weight from 1 to 10. A criterion
    already scored against cannot be taken off (its scores would lose their meaning); its wording and weight
    may still be corrected."""
    _check_may_manage(actor)
    _refuse_nul(rows, "criteria")
    if not rows:
        raise ValidationError({"criteria": _("Give at least one criterion for assessors to score.")})
    if len(rows) > MAX_CRITERIA:
        raise ValidationError({"criteria": _("Give at most %(limit)d criteria.") % {"limit": MAX_CRITERIA}})
    saved = {criterion.pk: criterion for criterion in programme.criteria_set.all()}
    errors: list[str] = []
    titles: set[str] = set()
    for number, row in enumerate(rows, start=1):
        title = row.title.strip()
        if not title or len(title) > 200:
            errors.append(_("Criterion %(number)s: give its title, in 200 characters or fewer.") % {"number": number})
        elif title.casefold() in titles:
            errors.append(_("Criterion %(number)s: another criterion has this title.") % {"number": number})
        titles.add(title.casefold())
        if not 1 <= row.weight <= MAX_WEIGHT:
            errors.append(
                _("Criterion %(number)s: the weight must be between 1 and %(limit)d.")
                % {"number": number, "limit": MAX_WEIGHT}
            )
        if len(row.guidance) > 2_000:
            errors.append(_("Criterion %(number)s: guidance must be 2,000 characters or fewer.") % {"number": number})
        if row.id is not None and row.id not in saved:
            errors.append(_("Criterion %(number)s is not one of this programme's.") % {"number": number})
    kept_ids = {row.id for row in rows if row.id is not None}
    scored = set(
        Criterion.objects.filter(pk__in=set(saved) - kept_ids, scores__isnull=False).values_list("title", flat=True)
    )
    for title in sorted(scored):
        errors.append(
            _("%(title)s has been scored against: it cannot be taken off, only reworded or reweighted.")
            % {"title": title}
        )
    if errors:
        raise ValidationError({"criteria": errors})
    kept: list[Criterion] = []
    with transaction.atomic(), acting_as(actor):
        for pk, criterion in saved.items():
            if pk not in kept_ids:
                criterion.delete()
        for order, row in enumerate(rows):
            criterion = saved[row.id] if row.id is not None else Criterion(programme=programme)
            values = {
                "title": row.title.strip(),
                "guidance": row.guidance.strip(),
                "weight": row.weight,
                "order": order,
            }
            if criterion.pk is None or any(getattr(criterion, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(criterion, name, value)
                criterion.save()
            kept.append(criterion)
    return kept


def reporting_tier_problems(programme: Programme, rows: Sequence[ReportingTierRow]) -> list[str]:
    """What is wrong with a set of reporting tiers: every award from the smallest to the largest must fall in
    exactly one tier, and each tier asks a few short questions."""
    errors: list[str] = []
    open_ended = [row for row in rows if row.up_to_amount is None]
    if len(open_ended) > 1:
        errors.append(_("Only one tier may have no upper amount."))
    amounts = [row.up_to_amount for row in rows if row.up_to_amount is not None]
    if len(set(amounts)) != len(amounts):
        errors.append(_("Two tiers have the same upper amount."))
    for number, row in enumerate(rows, start=1):
        if row.up_to_amount is not None and row.up_to_amount <= 0:
            errors.append(_("Tier %(number)s: the upper amount must be more than £0.") % {"number": number})
        questions = [question for question in row.questions if question.strip()]
        if not questions:
            errors.append(_("Tier %(number)s: ask at least one question.") % {"number": number})
        if len(questions) > MAX_TIER_QUESTIONS:
            errors.append(
                _("Tier %(number)s: ask at most %(limit)d questions: keep reporting proportionate.")
                % {"number": number, "limit": MAX_TIER_QUESTIONS}
            )
        if any(len(question) > MAX_TIER_QUESTION_LENGTH for question in questions):
            errors.append(
                _("Tier %(number)s: each question must be %(limit)d characters or fewer.")
                % {"number": number, "limit": MAX_TIER_QUESTION_LENGTH}
            )
        if not 1 <= row.months_after_start <= MAX_MONTHS_AFTER_START:
            errors.append(
                _("Tier %(number)s: the report must be due between 1 and %(limit)d months after the grant starts.")
                % {"number": number, "limit": MAX_MONTHS_AFTER_START}
            )
    if rows and not open_ended and max(amounts, default=Decimal(0)) < programme.maximum_award:
        errors.append(
            _(
                "No tier covers the largest awards, up to %(high)s: raise the top tier's amount or leave it blank "
                "for any larger grant."
            )
            % {"high": _money(programme.maximum_award)}
        )
    return errors


def set_reporting_tiers(programme: Programme, rows: Sequence[ReportingTierRow], *, actor: Any) -> list[ReportingTier]:
    """Make the reporting asked by grant size these tiers. Reports already created keep the questions they
    were given (they are copied at the award), so changing tiers only affects awards made afterwards."""
    _check_may_manage(actor)
    _refuse_nul(rows, "reporting_tiers")
    errors = reporting_tier_problems(programme, rows)
    if errors:
        raise ValidationError({"reporting_tiers": errors})
    ordered = sorted(rows, key=lambda row: (row.up_to_amount is None, row.up_to_amount or 0))
    saved = list(programme.reporting_tiers.all())
    kept: list[ReportingTier] = []
    with transaction.atomic(), acting_as(actor):
        for tier in saved[len(ordered) :]:
            tier.delete()
        for index, row in enumerate(ordered):
            tier = saved[index] if index < len(saved) else ReportingTier(programme=programme)
            values = {
                "up_to_amount": row.up_to_amount,
                "questions": [question.strip() for question in row.questions if question.strip()],
                "months_after_start": row.months_after_start,
            }
            if tier.pk is None or any(getattr(tier, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(tier, name, value)
                tier.save()
            kept.append(tier)
    return kept


def programme_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The values of a programme form (or serializer) that ``update_programme`` takes."""
    return {name: value for name, value in data.items() if name in PROGRAMME_FIELDS | MANY_TO_MANY}
