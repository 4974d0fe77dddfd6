"""What a person reads before deciding about a feed's record: Waymark's copy and the source's version,
field by field, in plain words."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from waymark.directory.feeds.records import localise
from waymark.directory.hsds.export import export_queryset, export_service
from waymark.directory.models import FeedRecord, Service


@dataclass(frozen=True)
class Difference:
    label: str
    waymark: str
    source: str


def _text(key: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda record: str(record.get(key) or "")


def _ages(record: Mapping[str, Any]) -> str:
    low, high = record.get("minimum_age"), record.get("maximum_age")
    return (
        "" if low is None and high is None else f"{low if low is not None else ''}–{high if high is not None else ''}"
    )


def _phones(record: Mapping[str, Any]) -> str:
    return ", ".join(str(phone.get("number") or "") for phone in _items(record, "phones"))


def _places(record: Mapping[str, Any]) -> str:
    places = []
    for link in _items(record, "service_at_locations"):
        found = link.get("location")
        location: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        addresses = [address for address in location.get("addresses") or [] if isinstance(address, Mapping)]
        address = addresses[0] if addresses else {}
        parts = [location.get("name"), address.get("address_1"), address.get("city"), address.get("postal_code")]
        places.append(", ".join(str(part) for part in parts if part))
    return "; ".join(sorted(places))


def _contacts(record: Mapping[str, Any]) -> str:
    contacts = []
    for contact in _items(record, "contacts"):
        numbers = [str(phone.get("number") or "") for phone in _items(contact, "phones")]
        parts = [contact.get("title"), contact.get("name"), contact.get("email"), *numbers]
        contacts.append(", ".join(str(part) for part in parts if part))
    return "; ".join(sorted(contacts))


def _hours(record: Mapping[str, Any]) -> str:
    hours = [
        f"{schedule.get('byday') or ''} {schedule.get('opens_at') or ''}–{schedule.get('closes_at') or ''}".strip()
        for schedule in _items(record, "schedules")
    ]
    return "; ".join(sorted(hours))


def _items(record: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [item for item in record.get(key) or [] if isinstance(item, Mapping)]


FIELDS: list[tuple[Any, Callable[[Mapping[str, Any]], str]]] = [
    (_("Name"), _text("name")),
    (_("Other name"), _text("alternate_name")),
    (_("What the service does"), _text("description")),
    (_("Status"), _text("status")),
    (_("Website"), _text("url")),
    (_("E-mail"), _text("email")),
    (_("Phone"), _phones),
    (_("Who can use it"), _text("eligibility_description")),
    (_("Ages"), _ages),
    (_("How to get in"), _text("application_process")),
    (_("Costs"), _text("fees_description")),
    (_("Places"), _places),
    (_("Contacts"), _contacts),
    (_("Opening hours"), _hours),
]


def differences(record: FeedRecord) -> list[Difference]:
    """The fields where the source's waiting version differs from Waymark's copy."""
    if record.service is None or not isinstance(record.received, Mapping):
        return []
    fresh = export_queryset(Service.objects.filter(pk=record.service.pk), public=False).get()
    waymark = export_service(fresh, public=False)
    source = localise(record.feed, record.received)
    found = []
    for label, read in FIELDS:
        ours, theirs = read(waymark), _safely(read, source)
        if ours != theirs:
            found.append(Difference(str(label), ours, theirs))
    return found


def _safely(read: Callable[[Mapping[str, Any]], str], record: Mapping[str, Any]) -> str:
    """A neighbour's record may have any shape: a field Waymark cannot read shows as unreadable."""
    try:
        return read(record)
    except (AttributeError, TypeError):
        return str(_("(cannot be read)"))
