"""The demo borough's small grants: the council's community wellbeing seed fund, last year's round decided, paid
and reported, this year's open now, and about forty applications at every stage (``demo_data`` says what).

Everything is written through the grants services, as the pages and the applicant's form write it: a programme
and its parts, each application started, saved step by step and sent (or taken by phone or on paper by the grants
officer), screened, assessed (each assessor declaring their interests first; a conflicted assessor's seat closes and
another takes it), the community panel's recommendation, the decision, its payments and its reports. The services
stamp "now" on what they record, so last year's round is written while it is open and its dates are moved back
afterwards, each move an audited save of those fields alone with its own history row ("Demo dates moved back"), as
partnership's and plans' demos do. The grants officer, an assessor and a community panel member are demo accounts
(``personas``), made before accounts' own hook so that they can do the work.
"""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from waymark.accounts import demo as accounts_demo
from waymark.accounts import services as accounts
from waymark.accounts.demo import Persona
from waymark.accounts.models import User
from waymark.core.audit import acting_as
from waymark.core.demo_data.organisations import ORGANISATIONS
from waymark.core.models import Area, Community, Organisation
from waymark.core.roles import Role
from waymark.grants import demo_data, demo_data_last_year
from waymark.grants.choices import (
    ApplicantKind,
    AssessorRole,
    DecisionOutcome,
    ScreeningOutcome,
)
from waymark.grants.demo_data import ApplicationPlan, ProgrammePlan, Report, Stage
from waymark.grants.models import (
    Application,
    Assessment,
    GrantDecision,
    GrantReport,
    InterestDeclaration,
    PanelDecision,
    Programme,
)
from waymark.grants.services import applications as application_services
from waymark.grants.services import assessment as assessment_services
from waymark.grants.services import decisions as decision_services
from waymark.grants.services import payments as payment_services
from waymark.grants.services import programmes as programme_services
from waymark.grants.services import reports as report_services
from waymark.grants.services import screening as screening_services

APPLICATIONS = demo_data_last_year.APPLICATIONS + demo_data.THIS_YEAR
MOVED_BACK = "Demo dates moved back"
DECIDED = frozenset({Stage.DECLINED, Stage.AWARDED})


OUTSIDE_POSTCODE = "RV99 2QP"  # a made-up district beyond the borough's RV1 to RV9


def seed(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """Small grants' demo hook: the people, the two rounds, then each application taken as far as its story goes."""
    organisations: dict[str, Organisation] = dict(context.get("organisations", {}))
    if demo_data.FUNDER not in organisations:
        return {"programmes": 0}
    today = timezone.localdate()
    steps = 4
    progress(0, steps, "Naming the grants officer, the assessors and the community panel")
    accounts_demo.ensure_personas(actor=actor)
    people = _people(actor, organisations)
    officer = people[demo_data.OFFICER[0]]
    progress(1, steps, "Setting up the community wellbeing seed fund")
    programmes = {
        plan.key: _programme(officer, plan, organisations[demo_data.FUNDER], context, today)
        for plan in demo_data.PROGRAMMES
    }
    progress(2, steps, "Taking the applications through the round")
    story = _Round(rng=rng, officer=officer, people=people, context=context, today=today)
    # In the order they were sent, so references follow the calendar; decided awards first, so that the budget
    # runs out as the decline that says so tells.
    days = {plan.key: story.sent_on(plan) for plan in APPLICATIONS}
    plans = sorted(APPLICATIONS, key=lambda plan: days[plan.key])
    applications = {plan.key: story.take(plan, programmes[plan.programme], organisations) for plan in plans}
    for plan in sorted(plans, key=lambda plan: plan.stage != Stage.AWARDED):
        if plan.stage in DECIDED:
            story.decide(plan, applications[plan.key])
    for plan in plans:
        story.move_dates(plan, applications[plan.key], days[plan.key])
    progress(3, steps, "Moving last year's round back to last year")
    for round_plan in demo_data.PROGRAMMES:
        _close_as_planned(programmes[round_plan.key], round_plan, officer, today)
    progress(steps, steps, "Small grants are ready")
    counts = {stage.value: 0 for stage in Stage}
    for application_plan in APPLICATIONS:
        counts[application_plan.stage.value] += 1
    return {
        "programmes": len(programmes),
        "applications": len(applications),
        "awards": GrantDecision.objects.filter(outcome=DecisionOutcome.AWARD).count(),
        "stages": counts,
    }


def personas() -> list[Persona]:
    """The people the grants pages are for (``accounts.demo``): the council's grants officer, one of its staff who
    assesses, and a member of the community panel. Left out when the borough has no council."""
    council = _organisation_named(demo_data.FUNDER)
    if council is None:
        return []
    site = settings.SITE_URL
    programmes = _path("grants:programme_list", "/grants/programmes/")
    mine = _path("grants:my_assessments", "/grants/assessments/")
    found = [
        Persona(
            demo_data.OFFICER[0],
            demo_data.OFFICER[1],
            Role.STAFF,
            council,
            f"the seed fund's two rounds, their budgets, applications to screen and decisions to make, at "
            f"{site}{programmes}",
            where=f"{council.name}, grants officer",
        ),
        Persona(
            demo_data.ASSESSOR[0],
            demo_data.ASSESSOR[1],
            Role.STAFF,
            council,
            f"an assessor's seats: one declared a conflict on, one scored in draft, one to declare on, at {site}{mine}",
            where=f"{council.name}, grants assessor",
        ),
    ]
    panel_home = _organisation_named(demo_data.PANEL_MEMBER[3])
    if panel_home is not None:
        found.append(
            Persona(
                demo_data.PANEL_MEMBER[0],
                demo_data.PANEL_MEMBER[1],
                Role.MEMBER,
                panel_home,
                f"a community panel member's seats on this year's round, at {site}{mine}",
                where="the seed fund's community panel",
            )
        )
    return found


def announce(summary: dict[str, Any] | None) -> str:
    """What ``seed_demo`` says about small grants once loaded."""
    if not summary or not summary.get("applications"):
        return ""
    return (
        f"Small grants: {summary['programmes']} rounds of the community wellbeing seed fund, "
        f"{summary['applications']} applications and {summary['awards']} awards (sign in as "
        f"{demo_data.OFFICER[0]} to screen and decide, as {demo_data.ASSESSOR[0]} to assess)."
    )


# --- People ---------------------------------------------------------------------------------------------------------


def _organisation_named(key: str) -> Organisation | None:
    name = next((spec["name"] for spec in ORGANISATIONS if spec["key"] == key), None)
    return Organisation.objects.filter(name=name).first() if name else None


def _path(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _people(actor: Any, organisations: dict[str, Organisation]) -> dict[str, User]:
    """The demo accounts and the made-up assessors (no usable password, an address that cannot receive mail)."""
    for username, full_name, role, key, _as in demo_data.ASSESSORS:
        organisation = organisations.get(key)
        if organisation is None or User.objects.filter(username=username).exists():
            continue
        user = accounts.create_user(
            actor=actor, username=username, email=f"{username}@waymark.invalid", full_name=full_name
        )
        accounts.grant_role(actor=actor, user=user, role=role, organisation=organisation)
    usernames = [demo_data.OFFICER[0], demo_data.ASSESSOR[0], demo_data.PANEL_MEMBER[0]]
    usernames += [row[0] for row in demo_data.ASSESSORS]
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


# --- Programmes -----------------------------------------------------------------------------------------------------


def _days(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)


def _programme(
    officer: User, plan: ProgrammePlan, funder: Organisation, context: dict[str, Any], today: datetime.date
) -> Programme:
    """The programme and its parts. Last year's round is set up open until today (its applicants used the form
    while it was open); ``_close_as_planned`` moves its dates back once the round has been written."""
    closes = max(_days(today, plan.closes_days), today)
    decision_by = max(_days(today, plan.decision_days), closes)
    borough = context.get("borough")
    programme = programme_services.create_programme(
        actor=officer,
        funder=funder,
        code=plan.code,
        title=plan.title,
        summary=plan.summary,
        criteria=plan.criteria,
        priorities=plan.priorities,
        budget=plan.budget,
        minimum_award=plan.minimum_award,
        maximum_award=plan.maximum_award,
        eligible_types=plan.eligible_types,
        opens_on=_days(today, plan.opens_days),
        closes_on=closes,
        decision_by=decision_by,
        payment_by=max(_days(today, plan.payment_days), decision_by),
        languages=plan.languages,
        areas=[borough] if borough is not None else [],
        communities=Community.objects.filter(name__in=plan.communities),
        panel_enabled=plan.panel_enabled,
        published=plan.published,
    )
    programme_services.set_questions(
        programme,
        [
            programme_services.QuestionRow(
                text=row.text, word_limit=row.word_limit, key=row.key, help_text=row.help_text, required=row.required
            )
            for row in demo_data.QUESTIONS
        ],
        actor=officer,
    )
    programme_services.set_eligibility_questions(
        programme,
        [
            programme_services.EligibilityRow(
                text=row.text, explanation=row.explanation, required_answer=row.required_answer
            )
            for row in demo_data.ELIGIBILITY
        ],
        actor=officer,
    )
    programme_services.set_criteria(
        programme,
        [
            programme_services.CriterionRow(title=row.title, weight=row.weight, guidance=row.guidance)
            for row in demo_data.CRITERIA
        ],
        actor=officer,
    )
    programme_services.set_reporting_tiers(
        programme,
        [
            programme_services.ReportingTierRow(
                up_to_amount=row.up_to_amount, questions=row.questions, months_after_start=row.months_after_start
            )
            for row in demo_data.TIERS
        ],
        actor=officer,
    )
    _move_back(Programme, programme.pk, actor=officer, created_at=_at(today, plan.opens_days - 30))
    return programme


def _close_as_planned(programme: Programme, plan: ProgrammePlan, officer: User, today: datetime.date) -> None:
    """The published timetable as the plan has it, once the applications have been written."""
    _move_back(
        Programme,
        programme.pk,
        actor=officer,
        closes_on=_days(today, plan.closes_days),
        decision_by=_days(today, plan.decision_days),
        payment_by=_days(today, plan.payment_days),
    )


# --- Applications ---------------------------------------------------------------------------------------------------


class _Round:
    """Takes each application as far as its plan says, through the services, in the order a round goes."""

    def __init__(
        self,
        *,
        rng: random.Random,
        officer: User,
        people: dict[str, User],
        context: dict[str, Any],
        today: datetime.date,
    ) -> None:
        self.rng = rng
        self.officer = officer
        self.today = today
        self.postcodes = [row.postcode for row in context.get("postcodes", [])]
        self.areas: list[Area] = list(context.get("msoas", []))
        self.region: Area | None = context.get("region")
        self.staff = [people[name] for name in (demo_data.ASSESSOR[0],) if name in people] + [
            people[row[0]] for row in demo_data.ASSESSORS if row[4] == AssessorRole.STAFF and row[0] in people
        ]
        self.panel = [people[name] for name in (demo_data.PANEL_MEMBER[0],) if name in people] + [
            people[row[0]] for row in demo_data.ASSESSORS if row[4] == AssessorRole.PANEL and row[0] in people
        ]
        self.people = people
        self.turn = 0

    def take(self, plan: ApplicationPlan, programme: Programme, organisations: dict[str, Organisation]) -> Application:
        application = self._apply(plan, programme, organisations)
        stage = plan.stage
        if stage == Stage.WITHDRAWN:
            application = application_services.withdraw_application(application, actor=None)
        elif stage in {Stage.SCREENED_OUT, Stage.ASSESSING, *DECIDED}:
            application = self._screen(plan, application)
            if stage != Stage.SCREENED_OUT:
                self._assess(plan, application)
        return application

    def sent_on(self, plan: ApplicationPlan) -> int:
        """The day (from today) the application was sent, or for a draft last saved: the plan's, or some day
        while its round was open."""
        if plan.submitted_days is not None:
            return plan.submitted_days
        round_plan = next(row for row in demo_data.PROGRAMMES if row.key == plan.programme)
        return self.rng.randint(round_plan.opens_days + 10, min(round_plan.closes_days, 0) - 1)

    # The applicant's part

    def _apply(
        self, plan: ApplicationPlan, programme: Programme, organisations: dict[str, Organisation]
    ) -> Application:
        """Start, then save step by step as the form does (the group, the project, the answers); send it unless it
        is a draft. Staff enter those taken by phone or on paper, which are sent at once."""
        name, email = plan.contact
        steps = self._steps(plan, organisations)
        if plan.channel != "online":
            fields: dict[str, Any] = {"language": plan.language, "contact_name": name, "contact_email": email}
            for step in steps:
                fields.update(step)
            return application_services.enter_application(
                programme=programme, actor=self.officer, channel=plan.channel, **fields
            )
        application = application_services.start_application(
            programme=programme, language=plan.language, contact_name=name, contact_email=email
        )
        for step in steps:
            application = application_services.save_draft(application, **step)
        if plan.stage != Stage.DRAFT:
            application = application_services.submit_application(application)
        return application

    def _steps(self, plan: ApplicationPlan, organisations: dict[str, Organisation]) -> list[dict[str, Any]]:
        """What the applicant typed on each step of the form, as far as they got."""
        existing = organisations.get(plan.existing) if plan.existing else None
        group: dict[str, Any] = {}
        if plan.individual:
            group["applicant_kind"] = ApplicantKind.INDIVIDUAL
        elif plan.group:
            group.update(organisation_name=plan.group, organisation_type=plan.org_type)
            group["postcode"] = self._postcode(plan, existing)
            if plan.charity_number:
                number = existing.charity_number if existing and existing.charity_number else self._number(7)
                # "{charity}" as the register writes it; anything else as typed, with spaces to tidy
                group["charity_number"] = number if plan.charity_number == "{charity}" else " ".join(number)
            if plan.company_number:
                group["company_number"] = existing.company_number if existing else f"1{self._number(7)}"
        steps = [group] if group else []
        project: dict[str, Any] = {}
        if plan.title:
            project["project_title"] = plan.title
        if plan.summary:
            project["project_summary"] = plan.summary
        if plan.amount is not None:
            starts = _days(self.today, plan.start_days)
            project.update(
                amount_requested=plan.amount,
                starts_on=starts,
                ends_on=_add_months(starts, plan.months) - datetime.timedelta(days=1),
            )
            area = self._area(plan)
            if area is not None:
                project["beneficiary_area"] = area
        if plan.communities:
            project["communities"] = list(Community.objects.filter(name__in=plan.communities))
        if project:
            steps.append(project)
        if plan.answers:
            steps.append({"answers": dict(plan.answers)})
        if plan.dei_codes:
            steps.append({"dei_codes": list(plan.dei_codes), "dei_may_publish": plan.dei_may_publish})
        return steps

    def _postcode(self, plan: ApplicationPlan, existing: Organisation | None) -> str:
        if plan.postcode == "outside":
            return OUTSIDE_POSTCODE
        postcode = existing.postcode if existing and existing.postcode else self.rng.choice(self.postcodes or [""])
        return postcode.lower().replace(" ", "") if plan.postcode == "untidy" else postcode

    def _area(self, plan: ApplicationPlan) -> Area | None:
        if plan.postcode == "outside":
            return self.region
        if plan.key == "coffee_morning" or not self.areas:
            return None  # left blank: the screener sees the flag and lets it through
        return self.rng.choice(self.areas)

    def _number(self, digits: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(digits - 1)) + str(self.rng.randint(1, 9))

    # Staff's part

    def _screen(self, plan: ApplicationPlan, application: Application) -> Application:
        outcome = ScreeningOutcome.INELIGIBLE if plan.stage == Stage.SCREENED_OUT else ScreeningOutcome.ELIGIBLE
        reason = plan.screening or "Eligible: a group working in Riverside, asking within the fund's range."
        return screening_services.screen_application(application, outcome=outcome, reason=reason, actor=self.officer)

    def _assess(self, plan: ApplicationPlan, application: Application) -> None:
        """Last year's: two staff seats and one panel seat, all scored and submitted; an assessor who declared a
        conflict leaves the seat closed and a third member of staff takes one. This year's: as ``plan.seats`` says,
        part way, so the demo assessor's own page has a conflict, a draft and a declaration still to make."""
        if plan.seats:
            seats = [(self.people[name], role, state) for name, role, state in plan.seats if name in self.people]
        else:
            staff = self._next_staff(3 if plan.conflict else 2)
            seats = [(person, AssessorRole.STAFF, "submitted") for person in staff]
            if plan.conflict:
                seats[0] = (staff[0], AssessorRole.STAFF, "conflict")
            if self.panel:
                seats.append((self.panel[self.turn % len(self.panel)], AssessorRole.PANEL, "submitted"))
        for person, role, state in seats:
            seat = assessment_services.assign_assessor(application, assessor=person, role=role, actor=self.officer)
            if state == "waiting":
                continue
            if state == "conflict":
                assessment_services.declare_interest(seat, has_conflict=True, details=plan.conflict, actor=person)
                continue
            assessment_services.declare_interest(seat, has_conflict=False, actor=person)
            assessment_services.save_scores(
                seat,
                scores=self._scores(plan, application),
                recommendation=self._recommendation(plan) if state == "submitted" else "",
                overall_comment=self._comment(plan),
                actor=person,
            )
            if state == "submitted":
                assessment_services.submit_assessment(seat, actor=person)
        if plan.panel:
            recommendation, votes_for, against, abstentions, notes = plan.panel
            assessment_services.record_panel_decision(
                application,
                recommendation=recommendation,
                votes_for=votes_for,
                votes_against=against,
                abstentions=abstentions,
                notes=notes,
                met_on=self.today,
                actor=self.officer,
            )

    def _next_staff(self, count: int) -> list[User]:
        """The next ``count`` staff assessors in turn, so the work is shared."""
        chosen = [self.staff[(self.turn + index) % len(self.staff)] for index in range(count)]
        self.turn += 1
        return list(dict.fromkeys(chosen))

    def _scores(self, plan: ApplicationPlan, application: Application) -> dict[int, tuple[int | None, str]]:
        scores: dict[int, tuple[int | None, str]] = {}
        for criterion in application.programme.criteria_set.all():
            if criterion.title.startswith("Reaching") and plan.strength <= 1:
                scores[criterion.pk] = (None, "")  # N/A: the application does not say
                continue
            score = max(0, min(5, plan.strength + self.rng.choice((-1, 0, 0, 1))))
            scores[criterion.pk] = (score, _JUSTIFICATIONS[min(score, 5)] % {"what": criterion.title.lower()})
        return scores

    def _recommendation(self, plan: ApplicationPlan) -> str:
        if plan.panel:
            return plan.panel[0]
        return "fund" if plan.strength >= 3 else "do_not_fund"

    def _comment(self, plan: ApplicationPlan) -> str:
        if plan.strength >= 4:
            return "A strong application from a group that knows the people it serves."
        if plan.strength >= 3:
            return "Worth funding if the budget allows."
        return "The application does not yet show what the money would change."

    def decide(self, plan: ApplicationPlan, application: Application) -> None:
        decided = _days(self.today, plan.decided_days)
        if plan.stage == Stage.DECLINED:
            decision_services.decide_application(
                application,
                outcome=DecisionOutcome.DECLINE,
                reason=plan.reason,
                award_date=decided,
                actor=self.officer,
            )
            return
        amount = plan.awarded or plan.amount
        assert amount is not None
        instalments = _instalments(amount, plan.instalments, decided)
        decision = decision_services.decide_application(
            application,
            outcome=DecisionOutcome.AWARD,
            reason=plan.reason,
            amount=amount,
            conditions=plan.conditions,
            award_date=decided,
            instalments=[payment_services.Instalment(part, due) for part, due in instalments],
            actor=self.officer,
        )
        for index, payment in enumerate(decision.payments.order_by("due_on", "pk")):
            if index < plan.paid:
                paid_on = min(payment.due_on + datetime.timedelta(days=self.rng.randint(0, 6)), self.today)
                payment_services.mark_paid(payment, paid_on=paid_on, actor=self.officer)
        self._report(plan, decision)

    def _report(self, plan: ApplicationPlan, decision: GrantDecision) -> None:
        if plan.report == Report.NONE:
            return
        report = GrantReport.objects.filter(decision=decision).order_by("due_on").first()
        if report is None:
            return
        received = report.due_on + datetime.timedelta(days=self.rng.randint(-10, 12))
        if received > self.today:  # a larger grant's report, sent early at the officer's visit
            received = self.today - datetime.timedelta(days=self.rng.randint(5, 30))
        if plan.report == Report.SKIPPED:
            report_services.skip_report(report, reason=plan.skip_reason, actor=self.officer)
            return
        answers = {"1": plan.summary}
        if len(report.questions) > 1:
            answers["2"] = plan.story.split(".")[0]
        report_services.record_report(
            report,
            answers=answers,
            story=plan.story,
            by_conversation=plan.report == Report.CONVERSATION,
            received_on=max(received, decision.award_date),
            actor=self.officer,
        )

    # Dates

    def move_dates(self, plan: ApplicationPlan, application: Application, days: int) -> None:
        """Move what the services stamped "now" back to when the plan says it happened: started a few days before
        it was sent, screened within a fortnight, scored before the decision (this year's: since screening)."""
        round_plan = next(row for row in demo_data.PROGRAMMES if row.key == plan.programme)
        submitted = _at(self.today, days)
        started = max(
            submitted - datetime.timedelta(days=self.rng.randint(1, 9)), _at(self.today, round_plan.opens_days)
        )
        values: dict[str, Any] = {"created_at": started}
        if application.submitted_at is not None:
            values["submitted_at"] = submitted
        if application.screened_at is not None:
            values["screened_at"] = min(
                submitted + datetime.timedelta(days=self.rng.randint(2, 9)), _at(self.today, -1)
            )
        _move_back(Application, application.pk, actor=self.officer, **values)
        decided = _at(self.today, plan.decided_days)
        assigned = values.get("screened_at", submitted)
        scored = decided - datetime.timedelta(days=10) if plan.stage in DECIDED else _at(self.today, -1)
        for seat in Assessment.objects.filter(application=application):
            seat_values: dict[str, Any] = {"assigned_at": assigned}
            if seat.submitted_at is not None:
                seat_values["submitted_at"] = max(scored, assigned)
            _move_back(Assessment, seat.pk, actor=self.officer, **seat_values)
            for declaration in InterestDeclaration.objects.filter(assessment=seat):
                declared = min(assigned + datetime.timedelta(days=1), seat_values.get("submitted_at", scored))
                _move_back(InterestDeclaration, declaration.pk, actor=self.officer, declared_at=declared)
        if plan.stage not in DECIDED:
            return
        panel = PanelDecision.objects.filter(application=application).first()
        if panel is not None:
            met_on = (decided - datetime.timedelta(days=7)).date()
            _move_back(PanelDecision, panel.pk, actor=self.officer, met_on=met_on)
        decision = GrantDecision.objects.get(application=application)
        _move_back(GrantDecision, decision.pk, actor=self.officer, decided_at=decided, notified_at=decided)


# --- Helpers --------------------------------------------------------------------------------------------------------

_JUSTIFICATIONS = {
    0: "Nothing in the application speaks to %(what)s.",
    1: "Very little on %(what)s; the answers are a line each.",
    2: "Some sense of %(what)s, but no evidence of it.",
    3: "A fair account of %(what)s, though we would like to hear more.",
    4: "A clear account of %(what)s, with what people have told the group.",
    5: "An excellent account of %(what)s, in the community's own words.",
}


def _at(today: datetime.date, days: int) -> datetime.datetime:
    """Ten in the morning, ``days`` from today, in the site's time zone."""
    day = _days(today, days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def _instalments(amount: Decimal, count: int, decided: datetime.date) -> list[tuple[Decimal, datetime.date]]:
    """Equal instalments three months apart from a fortnight after the decision; the last takes the pennies."""
    part = (amount / count).quantize(Decimal("0.01"))
    rows = []
    for index in range(count):
        due = _add_months(decided + datetime.timedelta(days=14), 3 * index)
        rows.append((part if index < count - 1 else amount - part * (count - 1), due))
    return rows


def _move_back(model: type[models.Model], pk: int, *, actor: Any, **values: Any) -> None:
    """Set the given dates, saving only those fields, with a history row that says why (see the module docstring)."""
    with transaction.atomic(), acting_as(actor):
        record = model._default_manager.select_for_update().get(pk=pk)
        for name, value in values.items():
            setattr(record, name, value)
        record._change_reason = MOVED_BACK  # type: ignore[attr-defined]
        record.save(update_fields=list(values))
