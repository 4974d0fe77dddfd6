"""The demo borough's community map: small groups around core's organisations, and what they all run.

On top of core's organisations this adds community groups, faith groups, charities and CICs (at
least 250 organisations in all at full size), then services with their needs, languages,
communities, locations, role-based contacts, opening hours, bank-holiday closures and funding. The
data is deliberately imperfect, as real directories are: some drafts lack a way to get in touch,
some records have not been checked for over a year, a few services have closed, and some groups
live on a single grant that ends soon.

Everything comes from ``rng`` (UUIDs too); dates are relative to today. Later apps find the new
organisations in ``context["organisations"]`` and the services in ``context["services"]``.
"""

import datetime
import random
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import holidays
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from waymark.core.demo import OrganisationPlan, _save_organisations
from waymark.core.demo_data import places
from waymark.core.models import Community, Language, Organisation, Postcode
from waymark.directory import demo_data
from waymark.directory.choices import (
    WEEKDAY_BY_INDEX,
    FundingType,
    LocationVisibility,
    ServiceStatus,
    VolunteerReliance,
)
from waymark.directory.demo_feeds import seed_feeds
from waymark.directory.models import (
    Contact,
    FundingSource,
    HolidayException,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from waymark.directory.reference_data import NEEDS_TAXONOMY
from waymark.directory.services import refresh_location_points, refresh_search_index


@dataclass(frozen=True)
class MapSize:
    organisations: int  # at least this many organisations in all, core's included
    services: int  # at least this many services


SIZES = {"small": MapSize(organisations=30, services=40), "full": MapSize(organisations=260, services=560)}


@dataclass
class _Group:
    """An organisation on the map, with what its services are like."""

    organisation: Organisation
    communities: list[str]
    languages: list[str]
    needs: list[str]
    volunteer_reliance: str
    locations: list[Location] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _phone(rng: random.Random) -> str:
    return f"020 7946 0{rng.randrange(1000):03d}"


def _slug(name: str) -> str:
    """ "Lockside Recovery Café CIC" → "lockside-recovery-cafe-cic"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(ch.lower() if ch.isalnum() else " " for ch in plain).split())


# --- Organisations -----------------------------------------------------------------------------------


_OrganisationPlan = tuple[OrganisationPlan, list[str], str]


def plan_organisations(
    rng: random.Random, count: int, postcodes: list[Postcode], taken: set[str]
) -> list[_OrganisationPlan]:
    """(OrganisationPlan, needs, volunteer reliance) for ``count`` new organisations with unique names."""
    plans: list[_OrganisationPlan] = []
    profiles = demo_data.COMMUNITY_PROFILES
    weights = [profile["weight"] for profile in profiles]

    def add(name: str, org_type: str, sectors: list[str], registered: str, profile: dict[str, Any]) -> None:
        taken.add(name)
        slug = _slug(name)
        home_based = org_type == "community_group" and rng.random() < 0.3
        postcode = rng.choice(postcodes)
        fields = {
            "name": name,
            "description": _organisation_description(rng, org_type, profile),
            "org_type": org_type,
            "charity_number": f"9{rng.randrange(10**6):06d}" if registered == "charity" else "",
            "company_number": f"99{rng.randrange(10**6):06d}" if registered == "company" else "",
            "address_line_1": "" if home_based else f"{rng.randint(1, 199)} {rng.choice(places.STREET_NAMES)}",
            "address_line_2": "" if home_based else rng.choice(places.VENUES),
            "town": places.TOWN,
            "postcode": "" if home_based else postcode.postcode,
            "website": f"https://{slug}.example.org/" if rng.random() < 0.6 else "",
            "phone": _phone(rng) if rng.random() < 0.8 else "",
            "email": f"{slug}@example.org" if rng.random() < 0.85 else "",
            "active": rng.random() > 0.02,
        }
        plans.append(
            (
                OrganisationPlan(
                    key=f"directory_{slug.replace('-', '_')}",
                    uuid=_uuid(rng),
                    fields=fields,
                    sectors=tuple(sectors),
                    communities=tuple(profile["communities"]),
                    languages=tuple(profile["languages"]),
                ),
                list(profile["needs"]),
                _reliance(rng, org_type),
            )
        )

    for refuge in demo_data.REFUGES:
        if len(plans) < count and refuge["organisation"] not in taken:
            profile = {"communities": refuge["communities"], "languages": refuge["languages"], "needs": ["women"]}
            add(refuge["organisation"], "charity", ["voluntary-and-community", "housing"], "charity", profile)
    faith_groups = list(demo_data.FAITH_GROUPS)
    rng.shuffle(faith_groups)
    for name, communities, languages in faith_groups[: max(2, count // 25)]:
        if len(plans) < count and name not in taken:
            profile = {"communities": communities, "languages": languages, "needs": ["faith-cultural", "counselling"]}
            add(name, "faith_group", ["faith", "voluntary-and-community"], "", profile)
    attempts = 0
    while len(plans) < count:
        attempts += 1
        if attempts > count * 50:
            raise RuntimeError("Ran out of distinct organisation names for the demo map.")
        profile = rng.choices(profiles, weights)[0]
        org_type, patterns, sectors, registered = rng.choices(demo_data.ORGANISATION_KINDS, demo_data.KIND_WEIGHTS)[0]
        name = rng.choice(patterns).format(stem=rng.choice(profile["stems"]), place=rng.choice(places.WARD_NAMES))
        if name not in taken:
            add(name, org_type, sectors, registered, profile)
    return plans


def _organisation_description(rng: random.Random, org_type: str, profile: dict[str, Any]) -> str:
    whom = ", ".join(profile["communities"][:2]) or "local"
    openings = {
        "community_group": f"A small, volunteer-led group for {whom} people",
        "charity": f"A local charity working with {whom} communities",
        "faith_group": "A faith community's care and wellbeing work",
        "social_enterprise": "A community interest company",
    }
    middles = [
        "that grew out of people's own experience of mental distress",
        "offering practical help alongside emotional support",
        "working closely with the borough's mental health services",
        "that has run for over twenty years on small grants",
    ]
    return f"{openings[org_type]} {rng.choice(middles)}."


def _reliance(rng: random.Random, org_type: str) -> str:
    if org_type == "community_group":
        return rng.choices([VolunteerReliance.WHOLLY, VolunteerReliance.PARTLY], [3, 1])[0]
    if org_type == "faith_group":
        return rng.choices([VolunteerReliance.WHOLLY, VolunteerReliance.PARTLY], [1, 2])[0]
    return rng.choices([VolunteerReliance.NONE, VolunteerReliance.PARTLY], [2, 1])[0]


# --- Locations ---------------------------------------------------------------------------------------


def plan_locations(
    rng: random.Random, groups: list[_Group], postcodes: list[Postcode], refuges: set[int], statutory: set[int]
) -> None:
    """One or two places per organisation: most with a public address, some shown only by district,
    refuges and groups that meet in volunteers' homes hidden."""
    for group in groups:
        organisation = group.organisation
        count = 1 if rng.random() < 0.75 or organisation.pk in statutory else 2
        for number in range(count):
            postcode = rng.choice(postcodes)
            if organisation.pk in refuges:
                visibility = LocationVisibility.HIDDEN
                name = "Refuge"
            elif not organisation.postcode and number == 0 and organisation.org_type == "community_group":
                visibility = LocationVisibility.HIDDEN
                name = "A volunteer's home"
            elif organisation.pk not in statutory and rng.random() < 0.12:
                visibility = LocationVisibility.DISTRICT
                name = "Venue given when you book"
            else:
                visibility = LocationVisibility.FULL
                name = f"{rng.choice(places.WARD_NAMES)} {rng.choice(demo_data.VENUE_KINDS)}"
            group.locations.append(
                Location(
                    uuid=_uuid(rng),
                    organisation=organisation,
                    name=name,
                    address_1=f"{rng.randint(1, 199)} {rng.choice(places.STREET_NAMES)}",
                    city=places.TOWN,
                    postcode=postcode.postcode,
                    ward_id=postcode.ward_id,
                    latitude=postcode.latitude,
                    longitude=postcode.longitude,
                    step_free_access=rng.random() < 0.6,
                    visibility=visibility,
                )
            )


# --- Services ----------------------------------------------------------------------------------------


@dataclass
class _ServicePlan:
    service: Service
    group: _Group
    needs: list[str]
    languages: list[str]
    communities: list[str]
    hours: str  # "weekdays", "evenings", "weekly", "always" or "appointment"
    contacts: int


def plan_services(
    rng: random.Random,
    groups: list[_Group],
    wanted: int,
    language_names: dict[str, str],
    statutory: dict[int, str],
    refuges: set[int],
    actor: Any,
) -> list[_ServicePlan]:
    """Services for every organisation (statutory ones from a list), until there are ``wanted``."""
    today = timezone.localdate()
    owner = actor if getattr(actor, "is_authenticated", False) else None
    plans: list[_ServicePlan] = []
    names_used: set[str] = set()

    def new_service(group: _Group, name: str, description: str, needs: list[str], **fields: Any) -> _ServicePlan:
        base, number = name, 2
        while name in names_used:
            name, number = f"{base} ({group.organisation.name})" if number == 2 else f"{base} {number}", number + 1
        names_used.add(name)
        roll = rng.random()
        verified = (
            None
            if roll < 0.05
            else today - datetime.timedelta(days=rng.randint(380, 900))
            if roll < 0.2
            else today - datetime.timedelta(days=rng.randint(0, 330))
        )
        service = Service(
            uuid=_uuid(rng),
            organisation=group.organisation,
            name=name,
            description=description,
            owner=owner if rng.random() < 0.5 else None,
            last_verified_on=verified,
            volunteer_reliance=group.volunteer_reliance,
            **fields,
        )
        return _ServicePlan(service, group, needs, [], [], "weekly", 1)

    for group in groups:
        key = statutory.get(group.organisation.pk)
        if key is not None:
            for name, needs, routes, hours, description in demo_data.STATUTORY_SERVICES.get(key, []):
                plan = new_service(group, name, description, needs, **_contact_fields(rng, group, published=True))
                plan.service.self_referral = "self" in routes
                plan.service.gp_referral = "gp" in routes
                plan.service.professional_referral = "professional" in routes
                plan.service.status = ServiceStatus.ACTIVE
                plan.service.published = True
                plan.service.volunteer_reliance = VolunteerReliance.NONE
                plan.hours = hours
                plan.languages = ["eng"]
                plan.contacts = 2
                plans.append(plan)
            continue
        if group.organisation.pk in refuges:
            refuge = next(r for r in demo_data.REFUGES if r["organisation"] == group.organisation.name)
            plan = new_service(
                group,
                refuge["service"],
                refuge["description"],
                ["women", "women-domestic-abuse", "housing-refuge"],
                **_contact_fields(rng, group, published=True),
            )
            plan.service.self_referral = plan.service.professional_referral = True
            plan.service.published = True
            plan.service.minimum_age = 16
            plan.service.eligibility_description = "Women, with or without children."
            plan.service.application_process = "Call the refuge line any time. We will arrange to meet you safely."
            plan.hours = "always"
            plan.languages = ["eng", *refuge["languages"]]
            plan.communities = list(refuge["communities"])
            plan.contacts = 1
            plans.append(plan)

    community_groups = [g for g in groups if g.organisation.pk not in statutory and g.organisation.pk not in refuges]
    # Every group runs one service; then the larger ones run more, until there are enough.
    queue = list(community_groups)
    while len(plans) < wanted or queue:
        group = queue.pop(0) if queue else rng.choice(community_groups)
        need = rng.choice(group.needs)
        plans.append(_community_service(rng, group, need, language_names, new_service))
    return plans


def _community_service(
    rng: random.Random,
    group: _Group,
    need: str,
    language_names: dict[str, str],
    new_service: Callable[..., _ServicePlan],
) -> _ServicePlan:
    patterns, sentences, application = demo_data.NEED_SERVICES[need]
    spoken = [code for code in group.languages if code != "eng"]
    languages = rng.sample(spoken, min(len(spoken), rng.randint(1, 3))) if spoken else []
    who = group.organisation.name.split(" ")[0] if not group.communities else group.communities[0].split(" and ")[0]
    language = language_names.get(languages[0], "your language") if languages else "your language"
    pattern = rng.choice(patterns)
    if "{language}" in pattern and not languages:
        pattern = patterns[0]
    name = " ".join(pattern.format(who=who, language=language).split())
    spoken_names = " and ".join(language_names[code] for code in languages) or "English"
    description = " ".join(s.format(languages=spoken_names) for s in rng.sample(sentences, min(2, len(sentences))))
    children = demo_data.CHILD_NEEDS.get(need, [])
    needs = [need, *rng.sample(children, min(len(children), rng.randint(0, 2)))]
    roll = rng.random()
    status = (
        ServiceStatus.DEFUNCT
        if roll < 0.01
        else ServiceStatus.INACTIVE
        if roll < 0.03
        else ServiceStatus.TEMPORARILY_CLOSED
        if roll < 0.06
        else ServiceStatus.ACTIVE
    )
    draft = rng.random() < 0.06
    is_free = rng.random() < 0.88
    minimum_age, maximum_age = demo_data.AGE_RANGES.get(need, (rng.choice([None, None, 16, 18]), None))
    plan = new_service(
        group,
        name,
        description,
        needs,
        status=status,
        published=not draft,
        eligibility_description=rng.choice(demo_data.ELIGIBILITY),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        is_free=is_free,
        fees_description="" if is_free else rng.choice(demo_data.FEES),
        self_referral=rng.random() < 0.8,
        professional_referral=rng.random() < 0.6,
        gp_referral=rng.random() < 0.35,
        interpreter_available=rng.random() < 0.3,
        accessibility_description=rng.choice(demo_data.ACCESSIBILITY_NOTES),
        **_contact_fields(rng, group, published=not draft, application=application),
    )
    plan.languages = ["eng", *languages] if rng.random() < 0.85 else languages or ["eng"]
    plan.communities = rng.sample(group.communities, min(len(group.communities), rng.randint(1, 2)))
    plan.hours = (
        "evenings" if need == "crisis" else rng.choice(["weekly", "weekly", "weekdays", "appointment", "evenings"])
    )
    plan.contacts = 0 if draft else rng.choice([1, 1, 2])
    return plan


def _contact_fields(rng: random.Random, group: _Group, *, published: bool, application: str = "") -> dict[str, str]:
    """How to get in: a draft may have nothing yet (it cannot be published until it does)."""
    if not published:
        return {"phone": "", "email": "", "url": "", "application_process": ""}
    organisation = group.organisation
    return {
        "phone": _phone(rng) if rng.random() < 0.8 else "",
        "email": organisation.email if organisation.email and rng.random() < 0.7 else "",
        "url": organisation.website if rng.random() < 0.5 else "",
        "application_process": application or "Call or e-mail us and we will explain how to get started.",
    }


def _opening_hours(rng: random.Random, plan: _ServicePlan) -> list[Schedule]:
    def slot(day: str, opens: int, closes: int) -> Schedule:
        return Schedule(
            uuid=_uuid(rng),
            service=plan.service,
            weekday=day,
            opens_at=datetime.time(opens),
            closes_at=datetime.time(closes) if closes < 24 else datetime.time(23, 59),
        )

    if plan.hours == "always":
        return [slot(day, 0, 24) for day in WEEKDAY_BY_INDEX]
    if plan.hours == "weekdays":
        return [slot(day, 9, 17) for day in WEEKDAY_BY_INDEX[:5]]
    if plan.hours == "evenings":
        return [slot(day, 18, 23) for day in rng.sample(WEEKDAY_BY_INDEX, rng.randint(2, 7))]
    if plan.hours == "weekly":
        opens = rng.choice([10, 11, 13, 14, 18])
        return [slot(day, opens, opens + rng.randint(2, 3)) for day in rng.sample(WEEKDAY_BY_INDEX, rng.randint(1, 2))]
    return []  # by appointment


def _closures(
    rng: random.Random, plan: _ServicePlan, bank_holidays: list[tuple[datetime.date, str]]
) -> list[HolidayException]:
    """Closed on bank holidays (about a third of services), some with a summer break too."""
    if plan.hours in ("appointment", "always") or rng.random() > 0.35:
        return []
    exceptions = [
        HolidayException(uuid=_uuid(rng), service=plan.service, starts_on=day, ends_on=day, closed=True, notes=name)
        for day, name in bank_holidays
    ]
    if rng.random() < 0.3:
        today = timezone.localdate()
        summer = datetime.date(today.year if today.month < 8 else today.year + 1, 8, 1)
        exceptions.append(
            HolidayException(
                uuid=_uuid(rng),
                service=plan.service,
                starts_on=summer,
                ends_on=summer + datetime.timedelta(days=13),
                closed=True,
                notes="Summer break",
            )
        )
    return exceptions


def _bank_holidays() -> list[tuple[datetime.date, str]]:
    """England's bank holidays in the coming twelve months (offline, from the ``holidays`` package)."""
    today = timezone.localdate()
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=[today.year, today.year + 1])
    return sorted((day, name) for day, name in calendar.items() if today <= day < today + datetime.timedelta(days=365))


# --- Funding -----------------------------------------------------------------------------------------


def plan_funding(rng: random.Random, groups: list[_Group], services_by_group: dict[int, list[Service]]) -> list:
    """Funding with end dates spread over the next 18 months: some ending within three months, some
    groups on a single funder, volunteer-run groups on donations alone."""
    today = timezone.localdate()
    sources: list[FundingSource] = []
    for group in groups:
        organisation = group.organisation
        if organisation.org_type not in ("charity", "community_group", "faith_group", "social_enterprise"):
            continue
        if group.volunteer_reliance == VolunteerReliance.WHOLLY and rng.random() < 0.5:
            funder = demo_data.FAITH_DONATIONS if organisation.org_type == "faith_group" else demo_data.DONATIONS
            chosen = [funder]
        else:
            count = rng.choices([1, 2, 3], [4, 3, 2])[0]
            chosen = rng.sample(demo_data.FUNDERS, count)
        services = services_by_group.get(organisation.pk, [])
        for funder_name, kind in chosen:
            ends_in = rng.choice([rng.randint(10, 90), rng.randint(91, 540), rng.randint(91, 540)])
            starts_on = today + datetime.timedelta(days=ends_in) - datetime.timedelta(days=rng.choice([365, 730, 1095]))
            amount = {
                FundingType.GRANT: Decimal(rng.randrange(500, 60_000, 250)),
                FundingType.CONTRACT: Decimal(rng.randrange(20_000, 250_000, 1000)),
                FundingType.CORE: Decimal(rng.randrange(5_000, 40_000, 500)),
                FundingType.DONATIONS: Decimal(rng.randrange(200, 8_000, 50)),
            }[FundingType(kind)]
            sources.append(
                FundingSource(
                    uuid=_uuid(rng),
                    organisation=organisation,
                    service=rng.choice(services) if services and kind != "donations" and rng.random() < 0.4 else None,
                    funder=funder_name,
                    funding_type=kind,
                    amount=amount,
                    starts_on=starts_on,
                    ends_on=None if kind in ("donations", "core") else today + datetime.timedelta(days=ends_in),
                )
            )
    return sources


# --- Saving ------------------------------------------------------------------------------------------


def _save_services(plans: list[_ServicePlan], actor: Any, terms: dict[str, TaxonomyTerm], refs: dict) -> None:
    """Audited bulk insert; each history row holds the service's needs, languages and communities."""
    services = Service.objects.bulk_create([plan.service for plan in plans], batch_size=500)
    links: dict[str, list[Any]] = {"categories": [], "languages": [], "communities": []}
    for plan, service in zip(plans, services, strict=True):
        links["categories"] += [
            Service.categories.through(service_id=service.pk, taxonomyterm_id=terms[code].pk) for code in plan.needs
        ]
        links["languages"] += [
            Service.languages.through(service_id=service.pk, language_id=refs["languages"][code].pk)
            for code in dict.fromkeys(plan.languages)
            if code in refs["languages"]
        ]
        links["communities"] += [
            Service.communities.through(service_id=service.pk, community_id=refs["communities"][name].pk)
            for name in dict.fromkeys(plan.communities)
            if name in refs["communities"]
        ]
    history = Service.history.bulk_history_create(services, batch_size=500, default_user=actor)
    history_by_service = {record.id: record for record in history}
    for name, rows in links.items():
        model = getattr(Service, name).through
        saved = model.objects.bulk_create(rows, batch_size=1000)
        history_model = HistoricalRecords.m2m_models[Service._meta.get_field(name)]
        target = {"categories": "taxonomyterm_id", "languages": "language_id", "communities": "community_id"}[name]
        history_model.objects.bulk_create(
            [
                history_model(
                    history=history_by_service[row.service_id],
                    id=row.id,
                    service_id=row.service_id,
                    **{target: getattr(row, target)},
                )
                for row in saved
            ],
            batch_size=1000,
        )


def seed(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """The directory's demo hook: organisations, services and all that hangs off them."""
    dimensions = SIZES[size]
    steps = 6
    progress(0, steps, "Planning community organisations")
    postcodes: list[Postcode] = context["postcodes"]
    existing: dict[str, Organisation] = dict(context["organisations"])
    extra = max(0, dimensions.organisations - len(existing))
    taken = set(Organisation.objects.values_list("name", flat=True))
    planned = plan_organisations(rng, extra, postcodes, taken)
    progress(1, steps, f"Saving {len(planned)} community organisations")
    created = _save_organisations([plan for plan, _n, _r in planned], actor)

    profiles = dict(context.get("organisation_profiles", {}))
    groups: list[_Group] = []
    statutory: dict[int, str] = {}
    for key, organisation in existing.items():
        profile = profiles.get(key, {})
        if key in demo_data.STATUTORY_SERVICES:
            statutory[organisation.pk] = key
        elif organisation.org_type in ("nhs_trust", "icb", "local_authority", "other_public", "healthwatch"):
            continue
        groups.append(
            _Group(
                organisation=organisation,
                communities=list(profile.get("communities", [])),
                languages=list(profile.get("languages", [])),
                needs=_needs_for(organisation),
                volunteer_reliance=_reliance(rng, organisation.org_type),
            )
        )
    refuges: set[int] = set()
    for organisation_plan, needs, reliance in planned:
        organisation = created[organisation_plan.key]
        if organisation_plan.fields["name"] in {refuge["organisation"] for refuge in demo_data.REFUGES}:
            refuges.add(organisation.pk)
        groups.append(
            _Group(
                organisation, list(organisation_plan.communities), list(organisation_plan.languages), needs, reliance
            )
        )

    progress(2, steps, "Planning services")
    language_names = dict(Language.objects.values_list("code", "name"))
    refs = {
        "languages": {language.code: language for language in Language.objects.all()},
        "communities": {community.name: community for community in Community.objects.all()},
    }
    terms = {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy__name=NEEDS_TAXONOMY["name"])}
    plan_locations(rng, groups, postcodes, refuges, set(statutory))
    plans = plan_services(rng, groups, dimensions.services, language_names, statutory, refuges, actor)
    for plan in plans:
        plan.service.full_clean(exclude=["uuid", "organisation", "owner"])

    progress(3, steps, f"Saving {len(plans)} services")
    locations = [location for group in groups for location in group.locations]
    for location in locations:
        location.full_clean(exclude=["uuid", "organisation", "ward"])
    bulk_create_with_history(locations, Location, batch_size=500, default_user=actor)
    _save_services(plans, actor, terms, refs)

    progress(4, steps, "Saving locations, contacts, opening hours and funding")
    placed, contacts, hours, closures = [], [], [], []
    bank_holidays = _bank_holidays()
    services_by_group: dict[int, list[Service]] = defaultdict(list)
    for plan in plans:
        service = plan.service
        services_by_group[service.organisation_id].append(service)
        own = plan.group.locations
        if own and not (plan.hours == "always" and "crisis-helplines" in plan.needs):
            chosen = own if plan.group.organisation.pk in refuges else rng.sample(own, rng.choice([1, 1, len(own)]))
            placed += [ServiceAtLocation(uuid=_uuid(rng), service=service, location=place) for place in chosen]
        for role in rng.sample(demo_data.CONTACT_ROLES, plan.contacts):
            contacts.append(
                Contact(
                    uuid=_uuid(rng),
                    service=service,
                    title=role,
                    phone=_phone(rng),
                    email=f"{_slug(role)}.{_slug(plan.group.organisation.name)[:40]}@example.org",
                    public=rng.random() < 0.9,
                )
            )
        hours += _opening_hours(rng, plan)
        closures += _closures(rng, plan, bank_holidays)
    funding = plan_funding(rng, groups, services_by_group)
    for model, rows in (
        (ServiceAtLocation, placed),
        (Contact, contacts),
        (Schedule, hours),
        (HolidayException, closures),
        (FundingSource, funding),
    ):
        bulk_create_with_history(rows, model, batch_size=500, default_user=actor)

    progress(5, steps, "Building the search index")
    refresh_location_points(locations)
    refresh_search_index([plan.service.pk for plan in plans])
    feeds = seed_feeds(rng=rng, actor=actor, postcodes=postcodes, services=[plan.service for plan in plans])
    progress(steps, steps, "The community map is ready")

    context["organisations"] = {**existing, **created}
    by_type = {kind: list(orgs) for kind, orgs in context.get("organisations_by_type", {}).items()}
    for organisation in created.values():
        by_type.setdefault(organisation.org_type, []).append(organisation)
    context["organisations_by_type"] = by_type
    context["organisation_profiles"] = {
        **profiles,
        **{
            plan.key: {"communities": list(plan.communities), "languages": list(plan.languages)}
            for plan, _n, _r in planned
        },
    }
    context["services"] = [plan.service for plan in plans]
    context["locations"] = locations
    return {
        "organisations": len(created),
        "services": len(plans),
        "locations": len(locations),
        "contacts": len(contacts),
        "funding_sources": len(funding),
        **feeds,
    }


# Needs of core's community organisations, read from their names: enough for plausible services.
_NEED_WORDS = {
    "counselling": "counselling",
    "carers": "carers",
    "advocacy": "advocacy",
    "refugee": "refugee-asylum",
    "elders": "older-people",
    "lunch": "older-people",
    "women": "women",
    "peer": "peer-support",
    "deaf": "interpreting",
    "young": "young-people",
    "next gen": "young-people",
    "befriending": "older-people",
    "wellbeing": "faith-cultural",
    "traveller": "advocacy",
    "church": "faith-cultural",
    "masjid": "counselling",
}


def _needs_for(organisation: Organisation) -> list[str]:
    name = organisation.name.lower()
    needs = list(dict.fromkeys(need for word, need in _NEED_WORDS.items() if word in name))
    return needs or ["peer-support", "counselling", "welfare"]
