"""The demo borough's community voice: a year of feedback in several languages, and issues at every stage.

At full size 1,200 items (150 small) spread over the last fifteen months, in English, Urdu, Bengali, Polish,
Somali, Arabic and Turkish, each with its themes, communities, sometimes the services it concerns, consent
choices and (for some) demographics; consenting English items get words staff edited for quoting publicly;
older items are triaged. Then issues grouped from them at every stage
of the workflow: open, escalated and not yet due, overdue, answered but not published, published, and closed,
answered on time and late. Everything goes through the app's own services (``intake``, ``triage``,
``escalations``), so the demo exercises the same rules as the pages.

The services stamp "now" on issues, escalations and answers. So that reports and timeliness have a history
to show, the demo then moves those timestamps back to plausible dates. Each move is an audited save of those
fields alone, with its own history row ("Demo dates moved back"), so the history still shows the true moment
the demo ran and that the dates were set afterwards.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.demo import Persona
from waymark.core.audit import acting_as
from waymark.core.choices import OrganisationType
from waymark.core.demo_data.organisations import ORGANISATIONS
from waymark.core.models import Community, EthnicGroup, Language, Organisation, Theme
from waymark.core.roles import Role
from waymark.voice.choices_items import (
    AgeBand,
    Disability,
    Faith,
    Gender,
    HowGathered,
    ItemStatus,
    Sentiment,
    SourceType,
)
from waymark.voice.demo_data import (
    ISSUES,
    LANGUAGE_COMMUNITIES,
    LANGUAGE_WEIGHTS,
    POSITIVE_TOPICS,
    PUBLIC_QUOTES,
    TEXTS,
    TOPICS,
    IssuePlan,
)
from waymark.voice.models import Escalation, EscalationStatus, FeedbackItem, Issue, ReceivedBy, Response
from waymark.voice.services import escalations, intake, triage

ITEMS = {"small": 150, "full": 1200}
DAYS_BACK = 455
ITEMS_PER_ISSUE = 12
# Every issue stage, in the order issues are given them.
STAGES = ("open", "escalated", "overdue", "answered", "published", "closed", "published_late", "closed")
HOW_GATHERED_WEIGHTS = {
    HowGathered.EVENT: 20,
    HowGathered.OUTREACH: 25,
    HowGathered.DROP_IN: 20,
    HowGathered.ONLINE_FORM: 15,
    HowGathered.PARTNER: 12,
    HowGathered.PHONE: 8,
}


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _responder(key: str, context: dict[str, Any]) -> Organisation | None:
    """The organisation an issue goes to: core's demo organisation with that key, or one of the same kind."""
    organisations: dict[str, Organisation] = context.get("organisations", {})
    if key in organisations:
        return organisations[key]
    fallback_types = {"police": "other_public", "council": "local_authority", "icb": "icb"}
    by_type: dict[str, list[Organisation]] = context.get("organisations_by_type", {})
    candidates = by_type.get(fallback_types.get(key, "nhs_trust")) or by_type.get("nhs_trust") or []
    return candidates[0] if candidates else None


def seed(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """Voice's demo hook: feedback items, then issues from them at every stage."""
    total = ITEMS[size]
    steps = total + 2
    progress(0, steps, "Writing feedback")
    items_by_topic = _seed_items(rng, total, actor, context, lambda done: progress(done, steps, "Writing feedback"))
    progress(total, steps, "Triaging older feedback")
    cutoff = timezone.localdate() - datetime.timedelta(days=21)
    older = FeedbackItem.objects.filter(status=ItemStatus.NEW, received_on__lt=cutoff)
    triaged = triage.mark_triaged(actor=actor, items=older)
    progress(total + 1, steps, "Grouping issues and escalating them")
    stages = _seed_issues(rng, size, actor, context, items_by_topic)
    progress(steps, steps, "Community voice is ready")
    return {"items": total, "triaged": triaged, "issues": len(stages), "stages": sorted(set(stages))}


def _seed_items(
    rng: random.Random, total: int, actor: Any, context: dict[str, Any], progress: Callable[[int], None]
) -> dict[str, list[FeedbackItem]]:
    languages = {language.code: language for language in Language.objects.filter(code__in=list(TEXTS))}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    communities = {community.name: community for community in Community.objects.all()}
    ethnic_groups = list(EthnicGroup.objects.filter(code_set__slug="ons-2021", is_stated=True))
    services = list(context.get("services", []))
    trusts = [
        organisation
        for organisation in context.get("organisations_by_type", {}).get("nhs_trust", [])
        if organisation is not None
    ]
    today = timezone.localdate()
    items_by_topic: dict[str, list[FeedbackItem]] = defaultdict(list)
    for number in range(total):
        code = _weighted(rng, LANGUAGE_WEIGHTS)
        topic = rng.choice(list(TEXTS[code]))
        text, summary = rng.choice(TEXTS[code][topic])
        # Recent months are busier, as outreach grows; rng.triangular leans towards today.
        received_on = today - datetime.timedelta(days=int(rng.triangular(0, DAYS_BACK, 0)))
        names = list(LANGUAGE_COMMUNITIES[code])
        chosen_communities = [communities[name] for name in rng.sample(names, k=1) if name in communities]
        demographics = {}
        if rng.random() < 0.4:
            demographics = {
                "ethnic_group": rng.choice(ethnic_groups) if ethnic_groups else None,
                "age_band": rng.choice(AgeBand.values),
                "gender": rng.choice(Gender.values),
                "disability": rng.choice(Disability.values),
                "faith": rng.choice(Faith.values),
            }
        item = intake.record_item(
            actor=actor,
            text=text,
            english_summary=summary,
            received_on=received_on,
            how_gathered=_weighted(rng, HOW_GATHERED_WEIGHTS),
            source_type=rng.choices(list(SourceType), weights=[80, 12, 8])[0],
            sentiment=Sentiment.POSITIVE
            if topic in POSITIVE_TOPICS
            else rng.choices([Sentiment.NEGATIVE, Sentiment.MIXED, Sentiment.NEUTRAL], weights=[70, 22, 8])[0],
            original_language=languages.get(code),
            interpreter_needed=code != "eng" and rng.random() < 0.6,
            consent_to_share=rng.random() < 0.85,
            consent_to_publish=rng.random() < 0.35,
            safeguarding=rng.random() < 0.01,
            organisations=[rng.choice(trusts)] if trusts and rng.random() < 0.5 else [],
            services=[rng.choice(services)] if services and rng.random() < 0.25 else [],
            themes=[themes[slug] for slug in TOPICS[topic] if slug in themes],
            communities=chosen_communities,
            demographics=demographics,
        )
        if item.consent_to_publish and code == "eng" and topic in PUBLIC_QUOTES:
            # Staff wrote the words that may be quoted, with anything that could identify someone taken out.
            quotes = PUBLIC_QUOTES[topic]
            intake.set_public_quote(item=item, public_quote=quotes[number % len(quotes)], actor=actor)
        items_by_topic[topic].append(item)
        if number % 100 == 99:
            progress(number + 1)
    return items_by_topic


def _seed_issues(
    rng: random.Random,
    size: str,
    actor: Any,
    context: dict[str, Any],
    items_by_topic: dict[str, list[FeedbackItem]],
) -> list[str]:
    # Every issue at both sizes: the plans demo links ten of them to the actions that answer them.
    plans = list(ISSUES)
    stages = list(STAGES) * (len(plans) // len(STAGES) + 1)
    done = []
    for plan, stage in zip(plans, stages, strict=False):
        candidates = [item for item in items_by_topic.get(plan.topic, []) if item.status != ItemStatus.GROUPED]
        candidates.sort(key=lambda item: item.received_on, reverse=True)
        items = candidates[:ITEMS_PER_ISSUE]
        if not items:
            continue
        responder = _responder(plan.responder, context)
        if responder is None:
            continue
        _issue_at_stage(rng, plan, stage, responder, items, actor)
        done.append(stage)
    return done


def _issue_at_stage(
    rng: random.Random, plan: IssuePlan, stage: str, responder: Organisation, items: list[FeedbackItem], actor: Any
) -> None:
    """One issue taken as far through the workflow as ``stage``, with its dates moved back to fit."""
    today = timezone.localdate()
    opened = max(item.received_on for item in items) + datetime.timedelta(days=rng.randint(1, 6))
    opened = min(opened, today)
    issue = escalations.create_issue(
        actor=actor, data={"title": plan.title, "description": plan.description}, items=items
    )
    if stage == "open":
        _move_back(Issue, issue.pk, actor=actor, created_at=opened)
        return
    # When it was sent decides whether it is still due, overdue, or was answered on time or late.
    sent_on = {
        "escalated": today - datetime.timedelta(days=5),
        "overdue": today - datetime.timedelta(days=45),
        "published_late": today - datetime.timedelta(days=70),
    }.get(stage, today - datetime.timedelta(days=rng.randint(50, 120)))
    opened = min(opened, sent_on)
    escalation = escalations.escalate_issue(
        actor=actor,
        issue=issue,
        responder=responder,
        question=plan.question,
        contact_email=responder.email or "answers@example.org",
        sent_on=sent_on,
    )
    _move_back(Issue, issue.pk, actor=actor, created_at=opened)
    _move_back(Escalation, escalation.pk, actor=actor, sent_at=sent_on)
    if stage in {"escalated", "overdue"}:
        return
    response = escalations.record_response(
        actor=actor,
        escalation=escalation,
        data={
            "text": plan.answer,
            "outcome": plan.outcome,
            "reasons": plan.reasons,
            "what_changed": plan.what_changed,
            "responder_name": "Patient experience lead",
        },
        received_by=rng.choice([ReceivedBy.EMAIL, ReceivedBy.LETTER]),
    )
    late = stage == "published_late"
    answered_on = (
        escalation.due_on + datetime.timedelta(days=9)
        if late
        else escalation.due_on - datetime.timedelta(days=rng.randint(1, 10))
    )
    answered_on = min(max(answered_on, sent_on), today)
    _move_back(Response, response.pk, actor=actor, created_at=answered_on)
    if stage == "answered":
        return
    response = escalations.set_response_published(actor=actor, response=response, published=True)
    _move_back(Response, response.pk, actor=actor, published_at=min(answered_on + datetime.timedelta(days=3), today))
    if stage == "closed":
        escalations.close_escalation(
            actor=actor, escalation=escalation, note="The change was checked at a follow-up visit and is in place."
        )


def _move_back(model: type[models.Model], pk: int, *, actor: Any, **dates: datetime.date) -> None:
    """Set timestamps to midday on the given dates (see the module docstring for why), saving only those
    fields of the row as it stands now, so its history row holds the record's true other fields."""
    zone = timezone.get_current_timezone()
    with transaction.atomic(), acting_as(actor):
        record = model._default_manager.select_for_update().get(pk=pk)
        for name, day in dates.items():
            setattr(record, name, datetime.datetime.combine(day, datetime.time(12), tzinfo=zone))
        record._change_reason = "Demo dates moved back"  # type: ignore[attr-defined]
        record.save(update_fields=list(dates))


# Core's demo organisation the community development worker works at: a charity with paid staff.
COMMUNITY_ORGANISATION_KEY = "bangladeshi_carers"


def _community_organisation() -> Organisation | None:
    name = next(spec["name"] for spec in ORGANISATIONS if spec["key"] == COMMUNITY_ORGANISATION_KEY)
    community_types = [OrganisationType.CHARITY, OrganisationType.COMMUNITY_GROUP]
    return (
        Organisation.objects.filter(name=name).first()
        or Organisation.objects.filter(org_type__in=community_types, active=True).order_by("name").first()
    )


def _busiest_responder() -> Organisation | None:
    """The organisation with the most escalations awaiting its answer (by name on a tie)."""
    busiest = (
        Escalation.objects.filter(status=EscalationStatus.AWAITING)
        .values("responder")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting", "responder__name")
        .first()
    )
    return Organisation.objects.get(pk=busiest["responder"]) if busiest else None


def personas() -> list[Persona]:
    """The demo people voice's pages are for (``accounts.demo``): a community development worker, who
    triages feedback, and a responder with escalations awaiting its answer."""
    site = settings.SITE_URL
    found = []
    if organisation := _community_organisation():
        url = reverse("voice:triage")
        found.append(
            Persona(
                "demo-worker",
                "Cass Example",
                Role.STAFF,
                organisation,
                f"the staff pages: feedback to triage, issues to escalate, network contacts, at {site}{url}",
            )
        )
    if responder := _busiest_responder():
        url = reverse("voice:responder_list")
        found.append(
            Persona(
                "demo-responder",
                "Rory Example",
                Role.RESPONDER,
                responder,
                f"the escalations waiting for this organisation's answer, at {site}{url}",
            )
        )
    return found
