"""How a neighbour's record becomes Waymark's: ids of its own, only the needs Waymark knows, and fingerprints
that tell a change at the source from a change made here."""

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from waymark.directory.hsds.export import export_queryset, export_service
from waymark.directory.hsds.schema import DETAIL_CODES_BY_TERM_ID
from waymark.directory.models import Feed, Service, TaxonomyTerm

# References to shared taxonomies keep their ids: they name the same term in every directory.
_SHARED_ID_KEYS = frozenset({"taxonomy_term_id", "taxonomy_id"})
_SHARED_RECORDS = frozenset({"taxonomy_term", "taxonomy_detail"})


def fingerprint(data: Any) -> str:
    """A digest of JSON data that does not depend on the order of keys."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def local_id(feed: Feed, source_id: str) -> str:
    """The id Waymark gives a record of ``feed``: the same on every read, and never one of another source's,
    so a neighbour's record can never land on a local record by sharing its id."""
    return str(uuid.uuid5(feed.uuid, source_id))


def localise(feed: Feed, record: Mapping[str, Any], *, into: Service | None = None) -> dict[str, Any]:
    """A copy of ``record`` with every id and reference made Waymark's own, the needs reduced to those
    Waymark knows (and Waymark's own details), and the feed's needs added. With ``into``, the record's
    service id (and every reference to it) becomes that service's, so writing it updates that service."""
    localised = _localise_ids(feed, record)
    if into is not None and isinstance(localised.get("id"), str):
        localised = _replace_text(localised, localised["id"], str(into.uuid))
    known = _known_term_ids(_attribute_term_ids(localised))
    attributes = [
        attribute
        for attribute in localised.get("attributes") or []
        if isinstance(attribute, Mapping) and _term_id(attribute) in known
    ]
    named = {_term_id(attribute) for attribute in attributes}
    service_id = localised.get("id")
    for need in feed.needs.all():
        if str(need.uuid) not in named:
            attributes.append(
                {
                    "id": str(uuid.uuid5(feed.uuid, f"{service_id}/need/{need.uuid}")),
                    "link_id": service_id,
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": str(need.uuid),
                }
            )
    localised["attributes"] = attributes
    return localised


def waymark_fingerprint(service: Service) -> str:
    """A digest of Waymark's record of the service (its own fields, places, contacts and hours; not the
    organisation's, nor the provenance), taken after the feed writes it, so any edit made here since shows."""
    fresh = export_queryset(Service.objects.filter(pk=service.pk), public=False).get()
    data = export_service(fresh, public=False)
    for kept_elsewhere in ("organization", "funding", "metadata"):
        data.pop(kept_elsewhere, None)
    return fingerprint(data)


def _localise_ids(feed: Feed, value: Any, key: str = "") -> Any:
    if isinstance(value, Mapping):
        if key in _SHARED_RECORDS:
            return dict(value)
        return {name: _localise_ids(feed, item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_localise_ids(feed, item, key) for item in value]
    if isinstance(value, str) and value and (key == "id" or key.endswith("_id")) and key not in _SHARED_ID_KEYS:
        return local_id(feed, value)
    return value


def _replace_text(value: Any, old: str, new: str) -> Any:
    if isinstance(value, Mapping):
        return {name: _replace_text(item, old, new) for name, item in value.items()}
    if isinstance(value, list):
        return [_replace_text(item, old, new) for item in value]
    return new if value == old else value


def _term_id(attribute: Mapping[str, Any]) -> str:
    term = attribute.get("taxonomy_term")
    term_id = attribute.get("taxonomy_term_id") or (term.get("id") if isinstance(term, Mapping) else "")
    return term_id if isinstance(term_id, str) else ""


def _attribute_term_ids(record: Mapping[str, Any]) -> set[str]:
    return {_term_id(attribute) for attribute in record.get("attributes") or [] if isinstance(attribute, Mapping)}


def _known_term_ids(term_ids: Iterable[str]) -> set[str]:
    """The ids among ``term_ids`` that are Waymark's terms or Waymark's details."""
    candidates = {term_id for term_id in term_ids if term_id}
    known = {term_id for term_id in candidates if term_id in DETAIL_CODES_BY_TERM_ID}
    valid = []
    for term_id in candidates - known:
        try:
            valid.append(uuid.UUID(term_id))
        except ValueError:
            continue
    known |= {str(term) for term in TaxonomyTerm.objects.filter(uuid__in=valid).values_list("uuid", flat=True)}
    return known
