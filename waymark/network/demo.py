"""The demo borough's professional network: about 280 contacts from statutory, voluntary and faith
organisations, the Riverside Mental Health Network with its officers, terms of reference, task groups
and distribution lists, and a year of monthly bulletins with their delivery logs. Then the other parts
of the network app add their own demo data (meetings, events), each in its own block below.

Bulletins are recorded as sent, with their delivery log, without e-mailing anyone: demo people are
never written to. Everything comes from ``rng``; names are made up from common given and family names, and every
address is at example.org. Later hooks find the network in ``context["network"]`` and the contacts
in ``context["network_contacts"]``.
"""

import datetime
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from waymark.accounts.demo import Persona
from waymark.core.audit import acting_as
from waymark.core.choices import DeliveryStatus
from waymark.core.email import render_email
from waymark.core.models import EmailDelivery, Language, Organisation, Sector, Theme
from waymark.core.roles import Role
from waymark.network import bulletin_mail, mailing, membership
from waymark.network.models import (
    Bulletin,
    BulletinRecipient,
    BulletinStatus,
    Contact,
    LawfulBasis,
    Membership,
    MembershipRole,
    Network,
)
from waymark.network.services import bulletins, people


@dataclass(frozen=True)
class NetworkSize:
    contacts: int
    bulletins: int


SIZES = {"small": NetworkSize(contacts=40, bulletins=3), "full": NetworkSize(contacts=280, bulletins=12)}

GIVEN_NAMES = [
    "Aisha", "Amir", "Ana", "Anjali", "Ayodele", "Bashir", "Bogdan", "Chidi", "Chloe", "Daniel", "Deepa",
    "Dionne", "Elif", "Emeka", "Fatima", "Femi", "Grace", "Hamza", "Hannah", "Imran", "Ines", "Jamal",
    "Jasmin", "Joseph", "Kamala", "Karim", "Kemi", "Kwame", "Lena", "Leroy", "Li", "Maria", "Marcus",
    "Mehmet", "Mei", "Mohammed", "Nadia", "Nia", "Omar", "Patrick", "Priya", "Rahul", "Rosa", "Ruth",
    "Samir", "Sara", "Sean", "Shabnam", "Simone", "Sunil", "Tariq", "Thomas", "Tomasz", "Usha", "Wei",
    "Yasmin", "Yusuf", "Zainab", "Zofia",
]  # fmt: skip
FAMILY_NAMES = [
    "Abdi", "Adeyemi", "Ahmed", "Akhtar", "Ali", "Begum", "Brown", "Campbell", "Chen", "Clarke", "Costa",
    "Das", "Demir", "Evans", "Francis", "Gordon", "Hassan", "Hussain", "Ibrahim", "Islam", "Jones", "Kaur",
    "Khan", "Kowalski", "Lewis", "Mahmood", "Mensah", "Miah", "Mohamed", "Murphy", "Nguyen", "Nowak",
    "Okafor", "Osei", "Patel", "Rahman", "Reid", "Robinson", "Santos", "Shah", "Singh", "Smith", "Thomas",
    "Wang", "Williams", "Wilson", "Yilmaz",
]  # fmt: skip
STATUTORY_TYPES = {"nhs_trust", "icb", "local_authority", "other_public", "healthwatch"}
FAITH_TYPES = {"faith_group"}
JOB_TITLES = {
    "statutory": [
        "Community mental health nurse", "Commissioning manager", "Service manager", "Consultant psychiatrist",
        "Social worker", "Housing options officer", "Public health lead", "Patient experience lead",
        "Equality and inclusion lead", "Psychologist", "Approved mental health professional",
    ],
    "voluntary": [
        "Community development worker", "Project coordinator", "Peer support worker", "Chief officer",
        "Advocate", "Volunteer coordinator", "Outreach worker", "Trustee", "Carers support worker",
    ],
    "faith": ["Imam", "Minister", "Pastoral care lead", "Chaplain", "Community liaison volunteer", "Trustee"],
}  # fmt: skip
OFFICER_ROLES = [
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.SECRETARY,
    MembershipRole.MINUTE_TAKER,
    MembershipRole.MINUTE_TAKER,
    MembershipRole.MINUTE_TAKER,
]
TERMS_V1 = """## Purpose
The Riverside Mental Health Network brings together statutory services, voluntary and community groups
and faith organisations to improve mental health care for black and minority ethnic communities.

## Meetings
The network meets every six weeks. Dates are booked a year ahead. Minutes are taken by a volunteer
minute-taker and sent round for comment before they are published.

## Membership
Membership is open to anyone working or volunteering in mental health in Riverside.
"""
TERMS_V2 = (
    TERMS_V1
    + """
## Task groups
The network may set up task-and-finish groups. Each reports back to the next network meeting.

## Bulletins
A bulletin is sent each month. Members can choose which lists they get, or stop all e-mail, at any time.
"""
)
TASK_GROUPS = [
    ("Housing and mental health", "Map the routes from housing services into mental health support."),
    ("Launch event planning", "Plan the network's launch event, workshops and marketplace."),
    ("Interpreting standards", "Agree what good interpreting looks like in mental health appointments."),
]
BULLETIN_TOPICS = [
    ("Winter wellbeing", "Warm spaces open across the borough this winter, with drop-in support."),
    ("New crisis café", "The crisis café at the Lockside Centre now opens on Friday and Saturday evenings."),
    ("Training dates", "Free cultural competence training for frontline staff: four dates this quarter."),
    ("Funding round open", "The small grants programme is open for community groups until the end of the month."),
    ("Carers week", "Events for carers across Riverside, with advice sessions in several languages."),
    ("Network survey results", "Thank you to everyone who answered the survey: here is what you told us."),
    ("Interpreting guide", "The interpreting task group has published its guide for practitioners."),
    ("Summer events", "Community events across the borough over the summer, and how to get a stall."),
    ("Service changes", "Changes to the community mental health teams and how to refer from this month."),
    ("Housing surgery", "A monthly housing surgery for people with mental health needs now runs at the hub."),
    ("Faith and wellbeing", "Faith leaders met to discuss supporting congregations with their mental health."),
    ("Year in review", "A look back at a year of the network, and the dates for next year's meetings."),
]


def _kind(organisation: Organisation) -> str:
    if organisation.org_type in STATUTORY_TYPES:
        return "statutory"
    if organisation.org_type in FAITH_TYPES:
        return "faith"
    return "voluntary"


def _plan_contacts(
    rng: random.Random, count: int, organisations: list[Organisation], sectors: dict[str, Sector], today: datetime.date
) -> list[Contact]:
    """Contacts across the organisations: about a third statutory, half voluntary, the rest faith."""
    by_kind: dict[str, list[Organisation]] = {"statutory": [], "voluntary": [], "faith": []}
    for organisation in organisations:
        by_kind[_kind(organisation)].append(organisation)
    weights = {"statutory": 0.35, "voluntary": 0.45, "faith": 0.20}
    kinds = [kind for kind in weights if by_kind[kind]]
    languages = list(Language.objects.exclude(code="eng").order_by("code"))
    contacts = []
    for number in range(count):
        kind = rng.choices(kinds, weights=[weights[kind] for kind in kinds])[0]
        organisation = rng.choice(by_kind[kind])
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        own_sectors = [sector.slug for sector in organisation.sectors.all()]
        specific = [slug for slug in own_sectors if slug != "voluntary-and-community"] or own_sectors
        sector_slug = (
            "housing" if rng.random() < 0.08 else (rng.choice(specific) if specific else "voluntary-and-community")
        )
        consents = rng.random() < 0.88
        contacts.append(
            Contact(
                uuid=_uuid(rng),
                name=f"{given} {family}",
                email=f"{given}.{family}.{number + 1}@example.org".lower(),
                phone=f"020 7946 0{rng.randrange(1000):03d}" if rng.random() < 0.6 else "",
                job_title=rng.choice(JOB_TITLES[kind]),
                organisation=organisation,
                sector=sectors.get(sector_slug),
                preferred_language=rng.choice(languages) if languages and rng.random() < 0.15 else None,
                consent_to_contact=consents,
                lawful_basis=(
                    rng.choice([LawfulBasis.CONSENT, LawfulBasis.CONSENT, LawfulBasis.LEGITIMATE_INTERESTS])
                    if consents
                    else ""
                ),
                consent_date=today - datetime.timedelta(days=rng.randrange(30, 900)) if consents else None,
            )
        )
    return contacts


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _send_history(bulletin: Bulletin, contacts: list[Contact], sent_at: datetime.datetime) -> tuple[int, int]:
    """A sent bulletin's recipient log and delivery rows, as if it had gone out on ``sent_at``."""
    recipients, deliveries = [], []
    shared = bulletin_mail.shared_context(bulletin)  # the Markdown is rendered once, not once a contact
    for contact in contacts:
        reason = bulletin_mail.skip_reason(contact)
        if reason:
            recipients.append(BulletinRecipient(bulletin=bulletin, contact=contact, skipped_reason=reason))
            continue
        subject, text_body, html_body = render_email(
            bulletin_mail.BULLETIN_TEMPLATE, bulletin_mail.email_context(bulletin, contact, shared)
        )
        delivery = EmailDelivery(
            dedupe_key=f"bulletin:{bulletin.uuid}:{contact.uuid}:{contact.email}",
            template=bulletin_mail.BULLETIN_TEMPLATE,
            to_address=contact.email,
            subject=subject,
            text_body=text_body,
            html_body=html_body,
            headers=mailing.bulletin_headers(contact, bulletin.distribution_list),
            status=DeliveryStatus.SENT,
            attempts=1,
            sent_at=sent_at,
        )
        deliveries.append(delivery)
        recipients.append(BulletinRecipient(bulletin=bulletin, contact=contact, delivery=delivery))
    EmailDelivery.objects.bulk_create(deliveries, batch_size=500)
    BulletinRecipient.objects.bulk_create(recipients, batch_size=500)
    sent = len(deliveries)
    return sent, len(recipients) - sent


def _record_as_sent(bulletin: Bulletin, *, sent_at: datetime.datetime, sent: int, skipped: int, actor: Any) -> None:
    """Mark a demo bulletin as sent on ``sent_at`` with its counts; no job runs, so nobody is e-mailed."""
    bulletin.status = BulletinStatus.SENT
    bulletin.sent_at = sent_at
    bulletin.sent_count, bulletin.skipped_count = sent, skipped
    with acting_as(actor):
        bulletin.save(update_fields=["status", "sent_at", "sent_count", "skipped_count"])


def seed(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """The network app's demo hook: people first, then each other part's seed function."""
    dimensions = SIZES[size]
    today = timezone.localdate()
    steps = 4
    progress(0, steps, f"Adding {dimensions.contacts} network contacts")
    organisations = sorted(context["organisations"].values(), key=lambda org: org.name)
    organisations = list(
        Organisation.objects.filter(pk__in=[org.pk for org in organisations]).prefetch_related("sectors")
    )
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    host = context["organisations"].get("borough_mental_health_charity") or organisations[0]

    with transaction.atomic():
        contacts = _plan_contacts(rng, dimensions.contacts, organisations, sectors, today)
        bulk_create_with_history(contacts, Contact, batch_size=500, default_user=actor)
        contacts = list(Contact.objects.filter(uuid__in=[c.uuid for c in contacts]).order_by("pk"))
        themes = list(Theme.objects.filter(parent__isnull=False).order_by("slug"))
        Interest = Contact.interests.through
        Interest.objects.bulk_create(
            [
                Interest(contact_id=contact.pk, theme_id=theme.pk)
                for contact in contacts
                for theme in rng.sample(themes, k=min(len(themes), rng.randint(0, 3)))
            ]
        )
        for contact in rng.sample(contacts, k=max(1, len(contacts) // 20)):
            contact.unsubscribed_at = timezone.now() - datetime.timedelta(days=rng.randrange(10, 300))
            contact.save(update_fields=["unsubscribed_at"])

        progress(1, steps, "Setting up the Riverside Mental Health Network")
        network = people.create_network(
            actor=actor,
            data={
                "name": "Riverside Mental Health Network",
                "slug": "riverside-mental-health-network",
                "description": (
                    "A network of practitioners, community groups and faith organisations working for race "
                    "equality in mental health care in Riverside. Meets every six weeks."
                ),
                "organisation": host,
            },
        )
        founded = today - datetime.timedelta(days=730)
        memberships = []
        officers = dict(zip(range(len(OFFICER_ROLES)), OFFICER_ROLES, strict=True))
        for index, contact in enumerate(contacts):
            joined = founded + datetime.timedelta(days=rng.randrange(0, 700))
            left = None
            if index >= len(OFFICER_ROLES) and rng.random() < 0.04:
                left = joined + datetime.timedelta(days=rng.randrange(30, max(31, (today - joined).days)))
                left = min(left, today)
            memberships.append(
                Membership(
                    contact=contact,
                    network=network,
                    role=officers.get(index, MembershipRole.MEMBER),
                    joined=founded if index in officers else joined,
                    left=left,
                )
            )
        bulk_create_with_history(memberships, Membership, batch_size=500, default_user=actor)
        people.add_terms_of_reference(
            network=network, text=TERMS_V1, actor=actor, approved_on=founded + datetime.timedelta(days=30)
        )
        people.add_terms_of_reference(
            network=network, text=TERMS_V2, actor=actor, approved_on=today - datetime.timedelta(days=180)
        )
        for number, (name, purpose) in enumerate(TASK_GROUPS):
            start = today - datetime.timedelta(days=300 - number * 90)
            people.add_task_group(
                actor=actor,
                network=network,
                data={
                    "name": name,
                    "purpose": purpose,
                    "start": start,
                    "end": start + datetime.timedelta(days=180) if number == 0 else None,
                    "members": rng.sample(contacts, k=min(6, len(contacts))),
                },
            )

        progress(2, steps, "Making distribution lists")
        everyone = people.create_distribution_list(
            actor=actor, network=network, data={"name": "All members", "all_members": True}
        )
        housing = people.create_distribution_list(
            actor=actor,
            network=network,
            data={
                "name": "Housing members",
                "description": "All housing members.",
                "rule_sectors": [sectors["housing"]] if "housing" in sectors else [],
            },
        )
        faith = people.create_distribution_list(
            actor=actor,
            network=network,
            data={
                "name": "Faith and community groups",
                "rule_sectors": [sectors[slug] for slug in ("faith", "voluntary-and-community") if slug in sectors],
            },
        )

        progress(3, steps, f"Writing {dimensions.bulletins} bulletins")
        reached = list(membership.recipients(everyone))
        sent_total = 0
        for month in range(dimensions.bulletins):
            subject, summary = BULLETIN_TOPICS[month % len(BULLETIN_TOPICS)]
            sent_at = timezone.now() - datetime.timedelta(days=30 * (dimensions.bulletins - month))
            bulletin = bulletins.draft_bulletin(
                actor=actor,
                network=network,
                data={
                    "distribution_list": everyone,
                    "subject": f"Riverside network news: {subject.lower()}",
                    "body": f"## {subject}\n\n{summary}\n\n## Next meeting\n\nSee the network's calendar for dates.",
                    "in_public_archive": month % 3 == 0,
                },
            )
            sent, skipped = _send_history(bulletin, reached, sent_at)
            _record_as_sent(bulletin, sent_at=sent_at, sent=sent, skipped=skipped, actor=actor)
            sent_total += sent
        bulletins.draft_bulletin(
            actor=actor,
            network=network,
            data={
                "distribution_list": housing,
                "subject": "Housing members: new referral route",
                "body": "A draft for the housing members list. **Check the dates before sending.**",
            },
        )
    progress(steps, steps, "The network is ready")
    context["network"] = network
    context["network_contacts"] = contacts
    context["network_lists"] = {"everyone": everyone, "housing": housing, "faith": faith}
    counts = {
        "network_contacts": len(contacts),
        "network_members": len(memberships),
        "bulletins": dimensions.bulletins,
        "bulletin_deliveries": sent_total,
    }

    # meetings: a year of six-weekly meetings, agendas, attendance, minutes and actions (MEETINGS part).
    from waymark.network.demo_meetings import seed_meetings

    counts.update(seed_meetings(rng=rng, size=size, actor=actor, progress=progress, context=context))

    # events: the launch event, workshops, stalls, registrations and the evaluation survey (EVENTS part).
    from waymark.network.demo_events import seed_events

    counts.update(seed_events(rng=rng, size=size, actor=actor, progress=progress, context=context))

    return counts


DEMO_NETWORK_SLUG = "riverside-mental-health-network"


def personas() -> list[Persona]:
    """The demo member (``accounts.demo``) of the network the hook above sets up: its pages, meetings and bulletins."""
    network = Network.objects.filter(slug=DEMO_NETWORK_SLUG).first() or Network.objects.order_by("pk").first()
    if network is None:
        return []
    return [
        Persona(
            "demo-member",
            "Nell Example",
            Role.MEMBER,
            network.organisation,
            f"the network's pages, meetings and bulletins, at {settings.SITE_URL}{network.get_absolute_url()}",
            where=f"{network.name} (run by {network.organisation.name})",
        )
    ]
