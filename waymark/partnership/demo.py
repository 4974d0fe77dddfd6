"""The demo borough's partnership working: two partnerships with named leads and deputies, a year of decisions resting
on what communities said and on the monitoring figures, about thirty consultations on the calendar (clashes among
those still to come, one reported as "we asked, you said, we did"), and a team of three community development workers
with a year of activity, one of whom drifts into access-facilitator casework.

What it says is in ``demo_data``; this module writes it. Partnerships with their members and matrices,
consultations, their reports, decisions and the team go through the services, as the pages do; the team's year of
activity (hundreds of entries) is bulk-written with its history rows inside ``acting_as`` (audited as the actor).
The services stamp "now" on reports, so report dates are moved back afterwards, each move an audited save of that
field alone with its own history row ("Demo dates moved back"), as plans' demo does. The team's people are demo
accounts (``personas``), made before accounts' own hook so that they can be the team.

Imperfect, as real records are: a consultation nobody closed, one closed months ago and never reported, one
cancelled, contacts without an e-mail or named "TBC", a member organisation with nobody named, a member that left,
a decision with no rationale, decisions taken between meetings, a worker's month of leave and a quarter in which
another gave no time to service development.
"""

import datetime
import random
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from waymark.accounts import demo as accounts_demo
from waymark.accounts import services as accounts
from waymark.accounts.demo import Persona
from waymark.accounts.models import RoleGrant, User
from waymark.core.audit import acting_as
from waymark.core.demo_data.organisations import ORGANISATIONS
from waymark.core.models import Community, Organisation, Theme
from waymark.core.roles import Role
from waymark.monitoring.models import PublishedSnapshot
from waymark.network.models import Event, Meeting, Network
from waymark.partnership import clashes, demo_data
from waymark.partnership.choices import ActivityType, CdwFunction, ConsultationStatus, ResponsibilityLevel
from waymark.partnership.demo_data import ConsultationPlan, DecisionPlan, PartnershipPlan
from waymark.partnership.models import (
    Activity,
    CdwTeam,
    Consultation,
    Decision,
    Partnership,
)
from waymark.partnership.services import consultations as consultation_services
from waymark.partnership.services import decisions as decision_services
from waymark.partnership.services import partnerships as partnership_services
from waymark.partnership.services import reports as report_services
from waymark.partnership.services import teams as team_services
from waymark.partnership.services.partnerships import MemberRow
from waymark.plans.models import Action, Plan
from waymark.voice.models import Issue

STATUTORY_TYPES = {"nhs_trust", "icb", "local_authority", "other_public", "healthwatch"}
# How each status is reached from "planned" (CONSULTATION_TRANSITIONS).
STATUS_PATH = {
    ConsultationStatus.PLANNED: (),
    ConsultationStatus.OPEN: (ConsultationStatus.OPEN,),
    ConsultationStatus.CLOSED: (ConsultationStatus.OPEN, ConsultationStatus.CLOSED),
    ConsultationStatus.REPORTED: (ConsultationStatus.OPEN, ConsultationStatus.CLOSED),  # then its report
    ConsultationStatus.CANCELLED: (ConsultationStatus.CANCELLED,),
}


def seed(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """Partnership working's demo hook: people, partnerships, the calendar, decisions, then the CDW team."""
    organisations: dict[str, Organisation] = dict(context.get("organisations", {}))
    if not organisations:
        return {"partnerships": 0}
    today = timezone.localdate()
    steps = 5
    progress(0, steps, "Naming the partnerships' leads and the community development team")
    accounts_demo.ensure_personas(actor=actor)
    people = _people(actor, organisations)
    progress(1, steps, "Writing the two partnerships")
    partnerships = {
        plan.name: _partnership(actor, plan, organisations, people, context, today) for plan in demo_data.PARTNERSHIPS
    }
    progress(2, steps, "Writing the consultation calendar")
    consultations = {
        plan.key: consultation
        for plan in demo_data.CONSULTATIONS
        if (consultation := _consultation(actor, plan, organisations, partnerships, today)) is not None
    }
    progress(3, steps, "Writing a year of decisions")
    decisions = [
        _decision(actor, plan, partnerships, consultations, context, today)
        for plan in demo_data.DECISIONS
        if plan.partnership in partnerships
    ]
    progress(4, steps, "Writing the community development team's year")
    team, activities = _team(rng, actor, organisations, today)
    progress(steps, steps, "Partnership working is ready")
    return {
        "partnerships": len(partnerships),
        "consultations": len(consultations),
        "clashes": len(clash_pairs()),
        "decisions": len([decision for decision in decisions if decision is not None]),
        "team": team.name if team else "",
        "activities": activities,
    }


def personas() -> list[Persona]:
    """The community development team (``accounts.demo``): three workers and their line manager, staff of the team's
    employer. Left out when the borough has no such organisation."""
    employer = _organisation_named(demo_data.TEAM_EMPLOYER)
    if employer is None:
        return []
    site = settings.SITE_URL
    log = _path("partnership:activity_list", "/partnership/activity/")
    balance = _path("partnership:balance_mine", "/partnership/activity/balance/")
    teams = _path("partnership:team_list", "/partnership/teams/")
    username, full_name = demo_data.MANAGER
    found = [
        Persona(
            username,
            full_name,
            Role.STAFF,
            employer,
            f"the community development team's balance of the four functions, quarter by quarter, and each worker's, "
            f"from {site}{teams}",
            where=f"{employer.name}, line manager of the community development team",
        )
    ]
    for username, full_name, _story in demo_data.WORKERS:
        found.append(
            Persona(
                username,
                full_name,
                Role.STAFF,
                employer,
                f"a community development worker's year of activity, at {site}{log}; its balance, at {site}{balance}",
                where=f"{employer.name}, community development worker",
            )
        )
    return found


def announce(summary: dict[str, Any] | None) -> str:
    """What ``seed_demo`` says about partnership working once loaded."""
    if not summary or not summary.get("consultations"):
        return ""
    return (
        f"Partnership working: {summary['partnerships']} partnerships, {summary['decisions']} decisions, "
        f"{summary['consultations']} consultations ({summary['clashes']} clashes to talk about), and a community "
        f"development team with {summary['activities']} activity entries (sign in as demo-cdw-amira: her balance "
        f"has tipped towards casework)."
    )


def clash_pairs() -> set[tuple[int, int]]:
    """Every clash on the calendar, as (lower pk, higher pk) pairs."""
    consultations = Consultation.objects.prefetch_related("communities", "themes")
    found = clashes.clashes_among(list(consultations))
    return {
        (min(pk, clash.other.pk), max(pk, clash.other.pk))
        for pk, found_clashes in found.items()
        for clash in found_clashes
    }


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
    """Everyone who may lead or deputise, by username: the demo accounts, plans' made-up leads and this app's own
    made-up staff (no usable password, an address that cannot receive mail)."""
    for username, full_name, key in demo_data.STAFF:
        organisation = organisations.get(key)
        if organisation is None or User.objects.filter(username=username).exists():
            continue
        user = accounts.create_user(
            actor=actor, username=username, email=f"{username}@waymark.invalid", full_name=full_name
        )
        role = Role.RESPONDER if organisation.org_type in STATUTORY_TYPES else Role.STAFF
        accounts.grant_role(actor=actor, user=user, role=role, organisation=organisation)
    return {user.username: user for user in User.objects.filter(role_grants__isnull=False).distinct()}


def _granted_at(user: User | None, organisation: Organisation) -> User | None:
    """The user, if they hold a role at the organisation (leads and deputies speak for their own)."""
    if user is None or not RoleGrant.objects.filter(user=user, organisation=organisation).exists():
        return None
    return user


# --- Partnerships ---------------------------------------------------------------------------------------------------


def _partnership(
    actor: Any,
    plan: PartnershipPlan,
    organisations: dict[str, Organisation],
    people: dict[str, User],
    context: dict[str, Any],
    today: datetime.date,
) -> Partnership:
    network = Network.objects.order_by("pk").first() if plan.meets_as_network else None
    plans = (
        list(Plan.objects.filter(partnerships__isnull=True, plan_type__in=("pcref", "partnership")).order_by("pk"))
        if plan.delivers_plans
        else []
    )
    partnership = partnership_services.create_partnership(
        actor=actor,
        data={
            "name": plan.name,
            "purpose": plan.purpose,
            "terms_of_reference": plan.terms_of_reference,
            "network": network,
            "area": context.get("borough"),
        },
        meeting_series=list(network.meeting_series.all()) if network else [],
        plans=plans,
    )
    rows = [
        MemberRow(
            organisation=organisation,
            lead=_granted_at(people.get(member.lead), organisation),
            deputy=_granted_at(people.get(member.deputy), organisation),
            joined_on=_days_ago(today, member.joined_days_ago),
            left_on=_days_ago(today, member.left_days_ago),
        )
        for member in plan.members
        if (organisation := organisations.get(member.organisation)) is not None
    ]
    partnership_services.set_members(actor=actor, partnership=partnership, rows=rows)
    _matrix(actor, partnership, plans, organisations)
    return partnership


def _days_ago(today: datetime.date, days: int | None) -> datetime.date | None:
    return None if days is None else today - datetime.timedelta(days=days)


# Who does what on the shared plans' objectives, by the first letter of the objective's code (G, C, F…): the trust
# leads its own plan; the others' parts follow what each does.
MATRIX = {
    "icb": {
        "G": ResponsibilityLevel.CONTRIBUTES,
        "C": ResponsibilityLevel.CONSULTED,
        "F": ResponsibilityLevel.INFORMED,
    },
    "council": {"C": ResponsibilityLevel.CONTRIBUTES, "G": ResponsibilityLevel.INFORMED},
    "african_caribbean_advocacy": {"C": ResponsibilityLevel.CONSULTED, "F": ResponsibilityLevel.CONTRIBUTES},
    "healthwatch": {"F": ResponsibilityLevel.CONTRIBUTES},
}


def _matrix(actor: Any, partnership: Partnership, plans: list[Plan], organisations: dict[str, Organisation]) -> None:
    levels: dict[tuple[int, int], str] = {}
    for plan in plans:
        for objective in plan.objectives.all():
            cells = [(plan.owner, ResponsibilityLevel.LEAD)] + [
                (organisations[key], parts[objective.code[0]])
                for key, parts in MATRIX.items()
                if key in organisations and objective.code[0] in parts and organisations[key] != plan.owner
            ]
            levels.update({(objective.pk, organisation.pk): level for organisation, level in cells})
    partnership_services.set_responsibilities(actor=actor, partnership=partnership, levels=levels)


# --- Consultations --------------------------------------------------------------------------------------------------


def _consultation(
    actor: Any,
    plan: ConsultationPlan,
    organisations: dict[str, Organisation],
    partnerships: dict[str, Partnership],
    today: datetime.date,
) -> Consultation | None:
    lead = organisations.get(plan.lead)
    communities = list(Community.objects.filter(name__in=plan.communities).order_by("name"))
    themes = list(Theme.objects.filter(slug__in=plan.themes).order_by("name"))
    if lead is None or not communities or not themes:
        return None
    starts_on = today + datetime.timedelta(days=plan.starts)
    consultation = consultation_services.create_consultation(
        actor=actor,
        data={
            "title": plan.title,
            "purpose": plan.purpose or _purpose(plan.title),
            "starts_on": starts_on,
            "ends_on": starts_on + datetime.timedelta(days=plan.days),
            "method": plan.method,
            "lead_organisation": lead,
            "partnership": partnerships.get(plan.partnership),
            "contact_name": plan.contact,
            "contact_email": plan.email,
            "contact_phone": plan.phone,
            "published": plan.published,
            "public_link": plan.public_link,
        },
        communities=communities,
        themes=themes,
    )
    for status in STATUS_PATH[ConsultationStatus(plan.status)]:
        consultation_services.move_consultation(actor=actor, consultation=consultation, to_status=status)
    if plan.status == ConsultationStatus.REPORTED:
        # What was heard and done, the issues it produced and the plan actions it feeds.
        report_services.record_report(
            actor=actor,
            consultation=consultation,
            summary=plan.report_summary,
            url=plan.report_url,
            issues=Issue.objects.filter(title__in=plan.issues).order_by("pk"),
            actions=_actions(plan.actions),
            mark_reported=True,
        )
    if plan.reported_days_ago is not None:
        _move_back(Consultation, consultation.pk, actor=actor, reported_on=_days_ago(today, plan.reported_days_ago))
    return consultation


def _purpose(title: str) -> str:
    """A purpose in the lead's words, when the plan gives none."""
    stop = "" if title.endswith("?") else "."
    return f"{title}{stop} We want to hear from the communities asked, and to tell them what we do with it."


def _actions(codes: Iterable[str]) -> list[Action]:
    """The PCREF plan's actions with these codes (the small borough lacks some)."""
    codes = list(codes)
    if not codes:
        return []
    return list(Action.objects.filter(objective__plan__plan_type="pcref", code__in=codes).order_by("code"))


# --- Decisions ------------------------------------------------------------------------------------------------------


def _decision(
    actor: Any,
    plan: DecisionPlan,
    partnerships: dict[str, Partnership],
    consultations: dict[str, Consultation],
    context: dict[str, Any],
    today: datetime.date,
) -> Decision | None:
    partnership = partnerships[plan.partnership]
    day = today - datetime.timedelta(days=plan.days_ago)
    meeting = _meeting_near(partnership, day) if plan.at_meeting else None
    if meeting is not None:
        day = timezone.localtime(meeting.start).date()
    snapshot = PublishedSnapshot.objects.order_by("-pk").first() if plan.snapshot else None
    return decision_services.record_decision(
        actor=actor,
        partnership=partnership,
        data={
            "decision": plan.decision,
            "decided_on": day,
            "meeting": meeting,
            "rationale": plan.rationale,
            "decided_by": plan.decided_by,
        },
        links={
            "evidence_issues": Issue.objects.filter(title__in=plan.issues).order_by("pk"),
            "evidence_snapshots": [snapshot] if snapshot else [],
            "evidence_consultations": [consultations[key] for key in plan.consultations if key in consultations],
            "evidence_actions": _actions(plan.evidence_actions),
            "following_actions": _actions(plan.following),
        },
    )


def _meeting_near(partnership: Partnership, day: datetime.date) -> Meeting | None:
    """The partnership's meeting (of its network's series) nearest the day, if one was held within a month of it."""
    held = Meeting.objects.filter(series__partnerships=partnership, start__date__lt=timezone.localdate())
    nearest = min(held, key=lambda meeting: abs((timezone.localtime(meeting.start).date() - day).days), default=None)
    if nearest is None or abs((timezone.localtime(nearest.start).date() - day).days) > 31:
        return None
    return nearest


# --- The community development team and its year --------------------------------------------------------------------

# The types of activity that serve each function, for entries that serve one.
TYPES = {
    CdwFunction.CHANGE_AGENT: (ActivityType.PARTNERSHIP, ActivityType.TRAINING, ActivityType.CONSULTATION),
    CdwFunction.ACCESS_FACILITATOR: (ActivityType.ONE_TO_ONE, ActivityType.OUTREACH),
    CdwFunction.SERVICE_DEVELOPER: (ActivityType.PARTNERSHIP, ActivityType.CONSULTATION, ActivityType.MAPPING),
    CdwFunction.CAPACITY_BUILDER: (ActivityType.GROUP_MEETING, ActivityType.TRAINING, ActivityType.EVENT),
}
HOURS = (Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("2"), Decimal("3"), Decimal("4"))
CASEWORK_HOURS = (Decimal("2"), Decimal("2.5"), Decimal("3"), Decimal("3.5"), Decimal("4"))
# Each worker's communities: who they mostly work with.
FOCUS = {
    "demo-cdw-amira": ("Somali", "Arab", "Eritrean", "Refugees and people seeking asylum"),
    "demo-cdw-jo": ("Black Caribbean", "Black African", "Mixed heritage"),
    "demo-cdw-dev": ("Bangladeshi", "Sylheti speakers", "Pakistani and Kashmiri", "Polish and Eastern European"),
}
PARTNER_KEYS = ("somali_womens_wellbeing", "refugee_drop_in", "african_caribbean_advocacy", "bangladeshi_carers",
                "mosque_counselling", "mental_health_trust", "healthwatch")  # fmt: skip


def quarter_start(day: datetime.date, back: int = 0) -> datetime.date:
    """The first day of the quarter ``back`` quarters before the one ``day`` is in (quarters of January, April, July
    and October, which are the financial year's quarters too)."""
    index = day.year * 4 + (day.month - 1) // 3 - back
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)


def _team(
    rng: random.Random, actor: Any, organisations: dict[str, Organisation], today: datetime.date
) -> tuple[CdwTeam | None, int]:
    employer = organisations.get(demo_data.TEAM_EMPLOYER)
    people = {user.username: user for user in User.objects.filter(username__startswith="demo-cdw-")}
    manager = people.get(demo_data.MANAGER[0])
    workers = [(people[username], story) for username, _name, story in demo_data.WORKERS if username in people]
    if employer is None or manager is None or not workers:
        return None, 0
    team = team_services.create_team(
        actor=actor,
        data={"name": demo_data.TEAM_NAME, "organisation": employer, "manager": manager},
        workers=[worker for worker, _story in workers],
    )
    entries = [entry for worker, story in workers for entry in _year(rng, worker, story, today)]
    _save_activities(actor, entries, organisations)
    return team, len(entries)


def _year(rng: random.Random, worker: User, story: str, today: datetime.date) -> list[dict[str, Any]]:
    """A worker's entries from the start of the quarter a year before this one to today: most weekdays, and today
    whatever day it is, so that this quarter is never empty. Each quarter opens with the team's planning and review
    day, which serves every function, and then the functions take turns, so a balanced worker's quarter is balanced
    from its first day, whenever the demo is loaded. In her last two quarters the drifting worker skips the planning
    day and spends most days on casework (access facilitation alone)."""
    drift_from = quarter_start(today, back=1)
    winter = quarter_start(today, back=3)
    leave = (today - datetime.timedelta(days=130), today - datetime.timedelta(days=100))
    entries: list[dict[str, Any]] = []
    turn, quarter, in_quarter = 0, None, 0
    day = quarter_start(today, back=4)
    while day <= today:
        on_leave = story == "balanced" and leave[0] <= day < leave[1]
        count = 0 if on_leave or (day.weekday() >= 5 and day != today) else rng.choice((0, 1, 1, 1, 2))
        for _ in range(max(count, int(day == today))):
            if quarter_start(day) != quarter:
                quarter, in_quarter = quarter_start(day), 0
            offered = [
                function
                for function in CdwFunction
                if not (story == "mapping" and quarter == winter and function == CdwFunction.SERVICE_DEVELOPER)
            ]
            if story == "drifts" and day >= drift_from and (in_quarter < 5 or rng.random() < 0.8):
                entry = _entry(rng, worker, day, [CdwFunction.ACCESS_FACILITATOR], ActivityType.ONE_TO_ONE)
                entry["hours"] = rng.choice(CASEWORK_HOURS)
            elif in_quarter == 0:
                entry = _entry(rng, worker, day, offered, ActivityType.OTHER)
                entry.update(hours=Decimal("7"), outcome="Team planning and review day.", venue="Council offices")
            else:
                first = offered[turn % len(offered)]
                turn += 1
                others = [function for function in offered if function != first]
                functions = [first, rng.choice(others)] if rng.random() < 0.3 else [first]
                kind = rng.choice(TYPES[first])
                if story == "mapping" and quarter == winter and rng.random() < 0.5:
                    kind = ActivityType.MAPPING
                entry = _entry(rng, worker, day, functions, kind)
            in_quarter += 1
            entries.append(entry)
        day += datetime.timedelta(days=1)
    if story == "balanced" and len(entries) > 10:
        # Some of Jo's entries are thin: a quarter of an hour with no one named; and a long festival day.
        entries[3].update(hours=Decimal("0.25"), communities=[], organisations=[], outcome="", venue="")
        entries[len(entries) // 2].update(
            hours=Decimal("9"),
            activity_type=ActivityType.EVENT,
            functions=[CdwFunction.CAPACITY_BUILDER, CdwFunction.CHANGE_AGENT],
            venue="Riverside Park",
        )
    return entries


def _entry(
    rng: random.Random, worker: User, day: datetime.date, functions: list[CdwFunction], kind: str
) -> dict[str, Any]:
    focus = FOCUS.get(worker.username, ())
    return {
        "worker": worker,
        "date": day,
        "hours": rng.choice(HOURS),
        "activity_type": kind,
        "functions": functions,
        "venue": rng.choice(demo_data.VENUES),
        "outcome": rng.choice(demo_data.OUTCOMES.get(kind, ("",))),
        "communities": rng.sample(focus, rng.choice((0, 1, 1, 2))) if focus else [],
        "organisations": rng.sample(PARTNER_KEYS, rng.choice((0, 1, 1, 2))),
        "link": rng.random() < 0.08,
    }


def _save_activities(actor: Any, entries: list[dict[str, Any]], organisations: dict[str, Organisation]) -> None:
    """Audited bulk inserts (one history row each, as the actor), then their communities, organisations and a few
    links to what communities raised, the plan actions and the network's events they served."""
    rows = [
        Activity(
            worker=entry["worker"],
            date=entry["date"],
            hours=entry["hours"],
            activity_type=entry["activity_type"],
            venue=entry["venue"],
            outcome=entry["outcome"],
            **{function.value: function in entry["functions"] for function in CdwFunction},
        )
        for entry in entries
    ]
    with transaction.atomic(), acting_as(actor):
        saved = bulk_create_with_history(rows, Activity, batch_size=500, default_user=actor)
    communities = {community.name: community for community in Community.objects.all()}
    issues = list(Issue.objects.order_by("pk")[:6])
    actions = _actions(("C3.4", "C5.3", "C6.4", "F.1"))
    events = list(Event.objects.order_by("pk")[:3])
    names = ("communities", "organisations", "issues", "plan_actions", "events")
    links: dict[str, list[models.Model]] = {name: [] for name in names}
    through = {name: getattr(Activity, name).through for name in names}
    for number, (activity, entry) in enumerate(zip(saved, entries, strict=True)):
        links["communities"] += [
            through["communities"](activity_id=activity.pk, community_id=communities[name].pk)
            for name in entry["communities"]
            if name in communities
        ]
        links["organisations"] += [
            through["organisations"](activity_id=activity.pk, organisation_id=organisations[key].pk)
            for key in entry["organisations"]
            if key in organisations
        ]
        if entry["link"]:
            for name, rows_to_link, column in (
                ("issues", issues, "issue_id"),
                ("plan_actions", actions, "action_id"),
                ("events", events, "event_id"),
            ):
                if rows_to_link:
                    linked = rows_to_link[number % len(rows_to_link)]
                    links[name].append(through[name](activity_id=activity.pk, **{column: linked.pk}))
    for name, rows_to_save in links.items():
        through[name].objects.bulk_create(rows_to_save, batch_size=1000)


# --- Dates ----------------------------------------------------------------------------------------------------------


def _move_back(model: type[models.Model], pk: int, *, actor: Any, **values: Any) -> None:
    """Set the given dates, saving only those fields, with a history row that says why (see the module docstring)."""
    with transaction.atomic(), acting_as(actor):
        record = model._default_manager.select_for_update().get(pk=pk)
        for name, value in values.items():
            setattr(record, name, value)
        record._change_reason = "Demo dates moved back"  # type: ignore[attr-defined]
        record.save(update_fields=list(values))
