"""The demo borough's neighbours: Eastbrook Council's directory, read into Riverside's community map with
everything a real feed brings (a quarantined record, a change waiting for review after a local edit, a
possible duplicate, a service gone from the feed), and a Healthwatch feed that could not be read.

No network is used: the records a read would have fetched are applied as a read applies them."""

import datetime
import random
import uuid
from typing import Any

from django.utils import timezone

from waymark.core.models import Postcode
from waymark.directory import services as directory_services
from waymark.directory.choices import FeedRunOutcome
from waymark.directory.feeds.syncing import apply_feed_records, finish_run, run_summary
from waymark.directory.models import Feed, FeedRecord, FeedRun, Service, TaxonomyTerm

READ_TAKES = datetime.timedelta(seconds=40)
NAMESPACE = uuid.UUID("0b8e3f6e-6d43-4d1f-9a7c-3f1f4e2d5c11")  # the demo neighbour's own ids (fixed)
EASTBROOK_SERVICES = [
    ("Eastbrook Talking Space", "A weekly drop-in to talk about worries, with tea and a trained listener."),
    ("Eastbrook Carers' Circle", "Support and a break for people caring for someone with mental ill health."),
    ("Sisters Together Eastbrook", "A women's wellbeing group meeting in English, Bengali and Somali."),
    ("Eastbrook Housing and Benefits Advice", "Help with benefits, debts and keeping a home."),
    ("Young Minds Eastbrook", "Peer support for 16 to 25 year olds, with a youth worker."),
    ("Eastbrook Bereavement Café", "A monthly café for anyone who has lost someone close."),
    ("Eastbrook Advocacy Project", "Independent advocacy for people in contact with mental health services."),
]


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _record(number: int, name: str, description: str, postcode: Postcode, **changes: Any) -> dict[str, Any]:
    sid, oid, lid = _id("service", number), _id("organization", number % 3), _id("location", number)
    record: dict[str, Any] = {
        "id": sid,
        "organization_id": oid,
        "name": name,
        "description": description,
        "url": f"https://directory.eastbrook.example.org/services/{number}",
        "email": f"eastbrook-{number}@example.org",
        "status": "active",
        "assured_date": "2026-09-15",
        "phones": [{"id": _id(sid, "phone"), "service_id": sid, "number": f"020 7946 {900 + number:04d}"}],
        "schedules": [
            {
                "id": _id(sid, "schedule"),
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": ["MO", "WE", "TH"][number % 3],
                "opens_at": "10:00",
                "closes_at": "14:00",
            }
        ],
        "service_at_locations": [
            {
                "id": _id(sid, lid),
                "service_id": sid,
                "location_id": lid,
                "location": {
                    "id": lid,
                    "location_type": "physical",
                    "name": f"{name} rooms",
                    "addresses": [
                        {
                            "id": _id(lid, "address"),
                            "location_id": lid,
                            "address_1": f"{10 + number} Market Street",
                            "city": "London",
                            "state_province": "England",
                            "postal_code": postcode.postcode,
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "organization": {
            "id": oid,
            "name": ["Eastbrook Wellbeing Trust", "Eastbrook Community Action", "Eastbrook Council"][number % 3],
            "description": "A charity in the neighbouring borough of Eastbrook.",
            "website": "https://eastbrook.example.org/",
        },
        "cost_options": [{"id": _id(sid, "cost"), "service_id": sid, "option": "Free", "amount": 0, "currency": "GBP"}],
    }
    record.update(changes)
    return record


def seed_feeds(*, rng: random.Random, actor: Any, postcodes: list[Postcode], services: list[Service]) -> dict[str, int]:
    """Two feeds: Eastbrook's, read twice (the second read finding a change, a local edit and a gap), and
    Healthwatch's, whose only read failed."""
    now = timezone.now()
    needs = list(TaxonomyTerm.objects.filter(code__in=["peer-support", "counselling"]).order_by("code"))
    eastbrook = Feed.objects.create(
        name="Eastbrook Council’s community directory",
        url="https://directory.eastbrook.example.org/api/v1",
        publisher_name="Eastbrook Council",
        publisher_identifier="GB-LAE-EBK",
        next_read_at=now + datetime.timedelta(hours=20),
    )
    eastbrook.needs.set(needs)
    places = rng.sample(postcodes, len(EASTBROOK_SERVICES))
    records = [
        _record(number, name, description, places[number])
        for number, (name, description) in enumerate(EASTBROOK_SERVICES)
    ]
    # Imperfect data: a postcode that is not a postcode, and a record that is also in Riverside's own map.
    records.append(_record(90, "Eastbrook Drop-in (old address)", "Moved; the neighbour has not fixed it.", places[0]))
    records[-1]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "EB1 ???"
    local = next((service for service in services if service.published and service.locations.exists()), None)
    if local is not None:
        place = local.locations.exclude(postcode="").first()
        postcode = Postcode.objects.filter(postcode=place.postcode).first() if place else None
        if postcode is not None:
            records.append(_record(91, local.name, local.description, postcode))

    first = FeedRun.objects.create(feed=eastbrook, started_at=now - datetime.timedelta(days=2))
    apply_feed_records(eastbrook, records, run=first, actor=None)
    finish_run(eastbrook, first, FeedRunOutcome.READ, run_summary(first), at=first.started_at + READ_TAKES)

    # Since then: staff checked one service by phone, the neighbour reworded it, and one left the feed.
    edited = FeedRecord.objects.get(feed=eastbrook, source_id=records[0]["id"]).service
    assert edited is not None
    directory_services.update_service(
        actor=actor, service=edited, data={"description": "Checked by phone: now also open on Saturday mornings."}
    )
    records[0] = dict(records[0], description="A weekly drop-in to talk, now run with Eastbrook Mind.")
    records[2] = dict(
        records[2], description="A women's wellbeing group meeting in English, Bengali, Somali and Arabic."
    )
    second = FeedRun.objects.create(feed=eastbrook, started_at=now - datetime.timedelta(hours=4))
    apply_feed_records(eastbrook, records[:5] + records[6:], run=second, actor=None)
    finish_run(eastbrook, second, FeedRunOutcome.READ, run_summary(second), at=second.started_at + READ_TAKES)

    healthwatch = Feed.objects.create(
        name="Healthwatch Riverside signposting",
        url="https://signposting.healthwatch-riverside.example.org/oruk",
        publisher_name="Healthwatch Riverside",
        read_every=168,
        next_read_at=now + datetime.timedelta(days=6),
    )
    failed = FeedRun.objects.create(feed=healthwatch, started_at=now - datetime.timedelta(days=1))
    message = "Page 2 did not answer within 20 seconds. The records read before are unchanged."
    finish_run(healthwatch, failed, FeedRunOutcome.FAILED, message, at=failed.started_at + READ_TAKES)
    return {"feeds": 2, "feed_records": FeedRecord.objects.filter(feed=eastbrook).count()}
