"""The demo borough's plans: the mental health trust's PCREF plan, the trail to it from what communities said, and
two smaller plans so the lists are not uniform.

The PCREF plan is co-produced with three community organisations, run with the ICB and the council as partners,
and published, with about forty actions at every rating (``demo_data``): some not rated, some overdue, some not
updated for months, one complete whose indicator has not moved. The demo responder and community development
worker lead some of them, so signing in as either shows actions to update; made-up staff lead the rest. Ten or
more of voice's demo issues are linked to the actions that answer them, and five of the network's meeting actions
are raised into plan actions, all after the leads' updates, so nobody is e-mailed. The trust has self-assessed
the plan against the six PCREF competencies; the ICB has graded itself on EDS 2022 for two years (last year's
published, this year's due to be published within weeks). The trust's older plan is closed; the council's
partnership plan is a draft.

Everything goes through the plans services. They stamp "now" on what they save, so that late and stale actions
have a history to show, the demo then moves those timestamps back, as voice's demo does: each move is an
audited save of those fields alone, with its own history row ("Demo dates moved back"), so the history still
shows the true moment the demo ran and that the dates were set afterwards. The demo people are made here,
before accounts' own hook (which then finds them made and changes nothing), because the demo responder must be
the named lead of some actions.
"""

import datetime
import random
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from waymark.accounts import demo as accounts_demo
from waymark.accounts import services as accounts
from waymark.accounts.models import User
from waymark.core.audit import acting_as
from waymark.core.models import Area, Organisation
from waymark.core.roles import Role
from waymark.monitoring import dashboards
from waymark.network.models import Action as MeetingAction
from waymark.network.models import Meeting
from waymark.plans import demo_data
from waymark.plans.choices import ActionStatus, Direction, PartnerRole, PlanStatus, PlanType, Rag, Statistic
from waymark.plans.demo_data import ActionPlan
from waymark.plans.gradings import pcref_competencies
from waymark.plans.models import Action, Objective, Plan, PlanTemplate
from waymark.plans.services import actions as action_services
from waymark.plans.services import grading, trail
from waymark.plans.services import indicators as indicator_services
from waymark.plans.services import plans as plan_services
from waymark.voice.models import Issue

STATUTORY_TYPES = {"nhs_trust", "icb", "local_authority", "other_public", "healthwatch"}


def financial_year(day: datetime.date) -> int:
    """The start year of the financial year ``day`` is in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def seed(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """Plans' demo hook: the trust's PCREF plan with its actions, then the trail to it and the other plans."""
    organisations: dict[str, Organisation] = dict(context.get("organisations", {}))
    trust = organisations.get(demo_data.TRUST)
    if trust is None:
        return {"plans": 0}
    steps = 4
    progress(0, steps, "Naming the leads of the trust's PCREF plan")
    leads = _Leads(rng, actor, organisations)
    progress(1, steps, "Writing the trust's PCREF plan and its actions")
    today = timezone.localdate()
    pcref, actions = _pcref_plan(rng, actor, organisations, leads, today)
    indicators = _attach_indicators(actor, pcref, actions, context.get("borough"))
    progress(2, steps, "Linking what communities said to the actions that answer it")
    raised = _raise_meeting_actions(rng, actor, pcref, leads, today)
    linked = _link_issues(actor, actions)
    _sources_and_reviews(actor, pcref)
    progress(3, steps, "Grading the ICB on EDS 2022, writing the trust's older plan and the council's draft")
    assessed = _self_assessment(actor, pcref, today)
    gradings = _eds_gradings(actor, organisations, today)
    others = [_old_plan(actor, trust, leads, today), _partnership_plan(actor, organisations, leads, today)]
    progress(steps, steps, "Plans are ready")
    context["plans_pcref"] = pcref
    return {
        "plans": 1 + len([plan for plan in others if plan is not None]),
        "pcref_actions": len(actions) + len(raised),
        "issues_linked": linked,
        "meeting_actions_raised": len(raised),
        "indicators": indicators,
        "competencies_assessed": assessed,
        "eds_years": gradings,
    }


# --- Who leads -----------------------------------------------------------------------------------------------


class _Leads:
    """The named lead of each action: the demo responder or worker when the action's lead organisation is theirs,
    otherwise one of the made-up staff of that organisation (``demo_data.STAFF_LEADS``), made here."""

    def __init__(self, rng: random.Random, actor: Any, organisations: dict[str, Organisation]) -> None:
        self.rng = rng
        self.organisations = organisations
        accounts_demo.ensure_personas(actor=actor)
        # by username: several demo people hold the staff role (the community development team's too)
        personas = {persona.username: persona for persona in accounts_demo.choose_personas()}
        self.persona_users: dict[str, tuple[User, int]] = {}
        for kind, username in (("responder", "demo-responder"), ("worker", "demo-worker")):
            persona = personas.get(username)
            user = User.objects.filter(username=persona.username).first() if persona else None
            if persona and user:
                self.persona_users[kind] = (user, persona.organisation.pk)
        self.staff: dict[str, list[User]] = {}
        for key, people in demo_data.STAFF_LEADS.items():
            organisation = organisations.get(key)
            if organisation is None:
                continue
            role = Role.RESPONDER if organisation.org_type in STATUTORY_TYPES else Role.STAFF
            self.staff[key] = [self._made_up(actor, username, name, role, organisation) for username, name in people]

    @staticmethod
    def _made_up(actor: Any, username: str, full_name: str, role: str, organisation: Organisation) -> User:
        """A lead who never signs in: no usable password, an address that cannot receive mail."""
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.create_user(
                actor=actor, username=username, email=f"{username}@waymark.invalid", full_name=full_name
            )
            accounts.grant_role(actor=actor, user=user, role=role, organisation=organisation)
        return user

    def organisation(self, key: str) -> Organisation | None:
        return self.organisations.get(key)

    def lead(self, kind: str, key: str) -> User | None:
        organisation = self.organisations.get(key)
        if not kind or organisation is None:
            return None
        persona = self.persona_users.get(kind)
        if persona and persona[1] == organisation.pk:
            return persona[0]
        staff = self.staff.get(key)
        return self.rng.choice(staff) if staff else None


# --- The PCREF plan --------------------------------------------------------------------------------------------


def _pcref_plan(
    rng: random.Random, actor: Any, organisations: dict[str, Organisation], leads: _Leads, today: datetime.date
) -> tuple[Plan, dict[str, Action]]:
    trust = organisations[demo_data.TRUST]
    start = datetime.date(financial_year(today) - 1, 4, 1)
    name, role = demo_data.BOARD_LEAD
    plan = plan_services.create_plan(
        actor=actor,
        template=PlanTemplate.objects.get(code="pcref"),
        data={
            "title": f"{trust.name}: PCREF plan {start.year} to {start.year + 3}",
            "plan_type": PlanType.PCREF,
            "summary": demo_data.PCREF_SUMMARY,
            "owner": trust,
            "period_start": start,
            "period_end": datetime.date(start.year + 3, 3, 31),
            "review_cycle_months": 12,
            "update_interval_days": 30,
            "board_lead_name": name,
            "board_lead_role": role,
        },
        partners=_present(organisations, demo_data.PCREF_PARTNERS),
        co_produced_with=_present(organisations, demo_data.CO_PRODUCERS),
    )
    drafted = _midday(start - datetime.timedelta(days=90))
    _publish(actor, plan, approved=_midday(start - datetime.timedelta(days=20)), published=_midday(start))
    _move_back(Plan, plan.pk, actor=actor, created_at=drafted)
    objectives = {objective.code: objective for objective in plan.objectives.all()}
    actions = {}
    for spec in demo_data.PCREF_ACTIONS:
        action = _add_action(actor, objectives[spec.objective], spec, leads, plan, today)
        if action is not None:
            _update(rng, actor, action, spec, drafted, today)
            actions[spec.code] = action
    return plan, actions


def _present(organisations: dict[str, Organisation], keys: Iterable[str]) -> list[Organisation]:
    return [organisations[key] for key in keys if key in organisations]


def _within(plan: Plan, day: datetime.date) -> datetime.date:
    return min(max(day, plan.period_start), plan.period_end)


def _add_action(
    actor: Any, objective: Objective, spec: ActionPlan, leads: _Leads, plan: Plan, today: datetime.date
) -> Action | None:
    lead_organisation = leads.organisation(spec.lead)
    if lead_organisation is None:
        return None
    partners = [
        (organisation, role)
        for key, role in spec.partners
        if (organisation := leads.organisation(key)) is not None and organisation != lead_organisation
    ]
    return action_services.add_action(
        actor=actor,
        objective=objective,
        data={
            "code": spec.code,
            "title": spec.title,
            "lead_organisation": lead_organisation,
            "lead": leads.lead(spec.led_by, spec.lead),
            "due_date": _within(plan, today + datetime.timedelta(days=spec.due_days)),
        },
        partners=[(lead_organisation, PartnerRole.LEAD), *partners],
    )


def _update(
    rng: random.Random, actor: Any, action: Action, spec: ActionPlan, added: datetime.datetime, today: datetime.date
) -> None:
    """The lead's updates, as the lead (or the system, for an action with none), then their dates moved back."""
    by = action.lead or actor
    if spec.earlier:
        rag, reason = spec.earlier
        action_services.update_action(
            actor=by,
            action=action,
            data={"status": ActionStatus.IN_PROGRESS, "progress": spec.progress // 2, "rag": rag, "rag_reason": reason},
        )
    if spec.updated_days_ago is not None:
        data: dict[str, Any] = {"status": spec.status, "progress": spec.progress, "rag": spec.rag}
        if spec.reason:
            data["rag_reason"] = spec.reason
        if spec.evidence:
            data["evidence"] = spec.evidence
        action_services.update_action(actor=by, action=action, data=data)
    dates: dict[str, Any] = {"created_at": added + datetime.timedelta(hours=rng.randint(1, 72))}
    if spec.updated_days_ago is not None:
        updated = timezone.now() - datetime.timedelta(days=spec.updated_days_ago, hours=rng.randint(0, 8))
        dates["last_updated_at"] = updated
        if spec.status == ActionStatus.COMPLETE:
            dates["completed_on"] = timezone.localtime(updated).date()
    _move_back(Action, action.pk, actor=actor, **dates)


def _publish(actor: Any, plan: Plan, *, approved: datetime.datetime, published: datetime.datetime) -> None:
    plan_services.move_plan(actor=actor, plan=plan, to_status=PlanStatus.APPROVED, note="Approved by the board")
    plan_services.move_plan(actor=actor, plan=plan, to_status=PlanStatus.PUBLISHED, note="Published")
    _move_back(Plan, plan.pk, actor=actor, approved_at=approved, published_at=published)


def _attach_indicators(actor: Any, plan: Plan, actions: dict[str, Action], borough: Area | None) -> int:
    """The monitoring figures the plan follows, as its analyst attached them (the demo seeds as the system, so
    without the analyst's access check); the earliest year with figures is the baseline."""
    years = dashboards.years_for(plan.owner)
    if borough is None or not years:
        return 0
    objectives = {objective.code: objective for objective in plan.objectives.all()}
    attached = 0
    for code, title, measure, group, target in demo_data.INDICATORS:
        action, objective = actions.get(code), objectives.get(code)
        if action is None and objective is None:
            continue
        indicator_services.attach_indicator(
            actor=actor,
            action=action,
            objective=None if action else objective,
            check_access=False,
            data={
                "title": title,
                "measure": measure,
                "provider": plan.owner,
                "area": borough,
                "grouping": dashboards.default_grouping(),
                "group": group,
                "reference_group": "White British",
                "statistic": Statistic.RATIO_TO_REFERENCE,
                "target": target,
                "direction": Direction.AT_MOST,
                "baseline_year": min(years),
            },
        )
        attached += 1
    return attached


# --- The trail: meeting actions raised, issues linked -----------------------------------------------------------


def _raise_meeting_actions(
    rng: random.Random, actor: Any, plan: Plan, leads: _Leads, today: datetime.date
) -> list[Action]:
    """Five of the network's meeting actions raised into the plan, the latest of each wording, under the objective
    it serves; most then updated by their lead."""
    raised = []
    objectives = {objective.code: objective for objective in plan.objectives.all()}
    for words, code, rag, reason in demo_data.MEETING_ACTIONS:
        meeting_action = (
            MeetingAction.objects.filter(description=words, plan_action__isnull=True)
            .select_related("meeting")
            .order_by("-meeting__start", "-pk")
            .first()
        )
        objective = objectives.get(code)
        if meeting_action is None or objective is None:
            continue
        number = objective.actions.count() + 1
        action = trail.raise_from_meeting_action(
            actor=actor,
            meeting_action=meeting_action,
            objective=objective,
            data={
                "code": f"{code}.{number}",
                "lead_organisation": plan.owner,
                "lead": leads.lead("staff", demo_data.TRUST),
                "due_date": _within(plan, meeting_action.due_date),
            },
        )
        raised_at = meeting_action.meeting.end + datetime.timedelta(days=rng.randint(2, 6))
        dates: dict[str, Any] = {"created_at": raised_at}
        if rag:
            action_services.update_action(
                actor=action.lead or actor,
                action=action,
                data={"status": ActionStatus.IN_PROGRESS, "progress": rng.choice((30, 50, 70)), "rag": rag,
                      "rag_reason": reason},
            )  # fmt: skip
            dates["last_updated_at"] = min(raised_at + datetime.timedelta(days=rng.randint(5, 20)), timezone.now())
        _move_back(Action, action.pk, actor=actor, **dates)
        raised.append(action)
    return raised


def _link_issues(actor: Any, actions: dict[str, Action]) -> int:
    """Link voice's demo issues to the actions that answer them; returns how many issues are linked."""
    issues = {issue.title: issue for issue in Issue.objects.order_by("-pk")}
    linked = set()
    for title, code, note in demo_data.ISSUE_LINKS:
        issue, action = issues.get(title), actions.get(code)
        if issue is None or action is None:
            continue
        trail.link_issue(actor=actor, action=action, issue=issue, note=note)
        linked.add(issue.pk)
    return len(linked)


def _sources_and_reviews(actor: Any, plan: Plan) -> None:
    """Where two objectives came from (issues communities raised, in words the public can read), and the network
    meetings that reviewed the plan (those with PCREF on their agenda)."""
    objectives = {objective.code: objective for objective in plan.objectives.all()}
    for code, titles, note in demo_data.OBJECTIVE_SOURCES:
        if code in objectives:
            trail.set_objective_sources(
                actor=actor,
                objective=objectives[code],
                issues=Issue.objects.filter(title__in=titles).order_by("pk"),
                surveys=[],
                note=note,
            )
    meetings = Meeting.objects.filter(agenda_items__title=demo_data.PCREF_AGENDA_ITEM).distinct().order_by("start")
    plan_services.record_reviews(actor=actor, plan=plan, meetings=list(meetings))


# --- Gradings -------------------------------------------------------------------------------------------------


def _self_assessment(actor: Any, plan: Plan, today: datetime.date) -> int:
    """The trust's self-assessment against the six PCREF competencies, a month ago."""
    competencies = {item.code: item for item in pcref_competencies()}
    assessed = 0
    for code, level, evidence in demo_data.COMPETENCY_LEVELS:
        if code in competencies:
            grading.assess_competency(
                actor=actor,
                plan=plan,
                competency=competencies[code],
                level=level,
                evidence=evidence,
                assessed_on=today - datetime.timedelta(days=30),
            )
            assessed += 1
    return assessed


def _eds_gradings(actor: Any, organisations: dict[str, Organisation], today: datetime.date) -> list[int]:
    """The ICB's EDS 2022 gradings for the last two years, graded with stakeholders and a peer: last year's
    published, this year's graded a few weeks ago and due to be published soon."""
    icb = organisations.get(demo_data.ICB)
    if icb is None:
        return []
    graders = [(organisations[key], role) for key, role in demo_data.EDS_GRADERS if key in organisations]
    this_year = financial_year(today)
    years = []
    for year, graded_on, column in (
        (this_year - 1, today - datetime.timedelta(days=330), 0),
        (this_year, today - datetime.timedelta(days=18), 1),
    ):
        latest = column == 1
        record = grading.record_eds_grading(
            actor=actor,
            organisation=icb,
            year=year,
            data={
                "graded_on": graded_on,
                "publish_by": today + datetime.timedelta(days=24)
                if latest
                else graded_on + datetime.timedelta(days=60),
                "evidence": demo_data.EDS_EVIDENCE[column],
            },
            grades={
                code: (grades[column], grades[2] if latest else "") for code, grades in demo_data.EDS_GRADES.items()
            },
            graders=graders if latest else graders[:3],
        )
        if not latest:
            grading.publish_eds_grading(
                actor=actor, grading=record, published_on=graded_on + datetime.timedelta(days=41)
            )
        years.append(year)
    return years


# --- The other plans ----------------------------------------------------------------------------------------------


def _old_plan(actor: Any, trust: Organisation, leads: _Leads, today: datetime.date) -> Plan | None:
    """The trust's plan before PCREF: three years, delivered (mostly), closed."""
    start = datetime.date(financial_year(today) - 5, 4, 1)
    end = datetime.date(start.year + 3, 3, 31)
    plan = plan_services.create_plan(
        actor=actor,
        data={
            "title": f"{demo_data.OLD_PLAN_TITLE} {start.year} to {end.year}",
            "plan_type": PlanType.EQUALITY_OBJECTIVES,
            "summary": demo_data.OLD_PLAN_SUMMARY,
            "owner": trust,
            "period_start": start,
            "period_end": end,
            "board_lead_name": demo_data.BOARD_LEAD[0],
            "board_lead_role": "Chief Nurse",
        },
    )
    for order, (code, title, actions) in enumerate(demo_data.OLD_PLAN_OBJECTIVES):
        objective = plan_services.add_objective(
            actor=actor, plan=plan, data={"code": code, "title": title, "order": order}
        )
        for number, (action_code, action_title, progress) in enumerate(actions):
            action = action_services.add_action(
                actor=actor,
                objective=objective,
                data={
                    "code": action_code,
                    "title": action_title,
                    "lead_organisation": trust,
                    "lead": leads.lead("staff", demo_data.TRUST),
                    "due_date": datetime.date(start.year + 1 + number, 3, 31),
                },
            )
            done = progress == 100
            action_services.update_action(
                actor=actor,
                action=action,
                data={
                    "status": ActionStatus.COMPLETE if done else ActionStatus.DEFERRED,
                    "progress": progress,
                    "rag": Rag.GREEN if done else Rag.AMBER,
                    "rag_reason": "Delivered." if done else "Carried into the PCREF plan's feedback mechanism.",
                },
            )
            finished = datetime.date(start.year + 1 + number, 2, 20)
            dates: dict[str, Any] = {
                "created_at": _midday(start - datetime.timedelta(days=30)),
                "last_updated_at": _midday(finished),
            }
            if done:
                dates["completed_on"] = finished
            _move_back(Action, action.pk, actor=actor, **dates)
    _publish(actor, plan, approved=_midday(start - datetime.timedelta(days=14)), published=_midday(start))
    plan_services.move_plan(actor=actor, plan=plan, to_status=PlanStatus.CLOSED, note="Replaced by the PCREF plan")
    _move_back(Plan, plan.pk, actor=actor, created_at=_midday(start - datetime.timedelta(days=60)))
    return plan


def _partnership_plan(
    actor: Any, organisations: dict[str, Organisation], leads: _Leads, today: datetime.date
) -> Plan | None:
    """The council's partnership plan, still a draft: objectives and actions, nothing rated yet."""
    council = organisations.get(demo_data.COUNCIL)
    if council is None:
        return None
    start = datetime.date(financial_year(today) + 1, 4, 1)
    plan = plan_services.create_plan(
        actor=actor,
        data={
            "title": demo_data.PARTNERSHIP_PLAN_TITLE,
            "plan_type": PlanType.PARTNERSHIP,
            "summary": demo_data.PARTNERSHIP_PLAN_SUMMARY,
            "owner": council,
            "period_start": start,
            "period_end": datetime.date(start.year + 2, 3, 31),
            "board_lead_name": "Cllr Jordan Example",
            "board_lead_role": "Cabinet member for health and adult social care",
        },
        partners=_present(organisations, (demo_data.ICB, demo_data.TRUST)),
        co_produced_with=_present(organisations, ("somali_womens_wellbeing", "refugee_drop_in")),
    )
    for order, (code, title, actions) in enumerate(demo_data.PARTNERSHIP_PLAN_OBJECTIVES):
        objective = plan_services.add_objective(
            actor=actor, plan=plan, data={"code": code, "title": title, "order": order}
        )
        for action_code, action_title in actions:
            action_services.add_action(
                actor=actor,
                objective=objective,
                data={
                    "code": action_code,
                    "title": action_title,
                    "lead_organisation": council,
                    "lead": leads.lead("staff", demo_data.COUNCIL),
                    "due_date": datetime.date(start.year + 1, 3, 31),
                },
            )
    return plan


# --- Dates --------------------------------------------------------------------------------------------------------


def _midday(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


def _move_back(model: type[models.Model], pk: int, *, actor: Any, **values: Any) -> None:
    """Set the given timestamps (see the module docstring for why), saving only those fields of the row as it
    stands now, so its history row holds the record's true other fields."""
    with transaction.atomic(), acting_as(actor):
        record = model._default_manager.select_for_update().get(pk=pk)
        for name, value in values.items():
            setattr(record, name, value)
        record._change_reason = "Demo dates moved back"  # type: ignore[attr-defined]
        record.save(update_fields=list(values))
