"""Reading a neighbour's feed into Waymark, record by record.

A run reads the whole feed first (``reading.read_feed``); if that fails, nothing changes and the run says
why. Otherwise each record is checked and written on its own, so one bad record is quarantined with its
reasons while the rest go in; each record's write is all or nothing. A record changed at the source is
updated unless Waymark's copy was edited here (or merged by a person), when the change waits for review.
Records gone from the feed are marked, and unpublished once the feed's grace period has passed.
"""

import datetime
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q, prefetch_related_objects
from django.utils import timezone

from waymark.core.text import contains_nul
from waymark.directory import services as directory_services
from waymark.directory.choices import RUNNING_STATUSES, FeedRecordState, FeedRunOutcome
from waymark.directory.feeds.reading import FeedUnreadable, read_feed
from waymark.directory.feeds.records import fingerprint, localise, waymark_fingerprint
from waymark.directory.hsds.importing import Importer
from waymark.directory.hsds.report import Places, label_nested, with_name
from waymark.directory.models import Feed, FeedRecord, FeedRun, PossibleDuplicate, Service

logger = logging.getLogger(__name__)

# A read that has not finished after this long is taken to have died; the next read may start.
STALE_READ = datetime.timedelta(hours=2)
DUPLICATES_PER_RECORD = 5


@dataclass(frozen=True)
class Written:
    service: Service | None
    problems: list[dict[str, str]]
    created: bool


def read_feed_now(feed: Feed, *, actor: Any = None, progress: Callable[[int, int], None] | None = None) -> FeedRun:
    """Read ``feed`` and apply what it holds. Only one read of a feed runs at a time: a second is skipped."""
    now = timezone.now()
    claimed = Feed.objects.filter(
        Q(reading_since__isnull=True) | Q(reading_since__lt=now - STALE_READ), pk=feed.pk
    ).update(reading_since=now)
    if not claimed:
        return FeedRun.objects.create(
            feed=feed,
            finished_at=now,
            outcome=FeedRunOutcome.SKIPPED,
            message="Another read of this feed was still running, so this one did not start.",
        )
    run = FeedRun.objects.create(feed=feed, started_at=now)
    try:
        try:
            read = read_feed(feed.url, progress=progress)
        except FeedUnreadable as error:
            return finish_run(feed, run, FeedRunOutcome.FAILED, f"{error}. The records read before are unchanged.")
        run.requests = read.requests
        apply_feed_records(feed, read.records, run=run, actor=actor, unreadable=read.unreadable)
        return finish_run(feed, run, FeedRunOutcome.READ, run_summary(run))
    except Exception:
        logger.exception("Reading the feed %s failed.", feed.pk)
        finish_run(
            feed, run, FeedRunOutcome.FAILED, "Waymark met an error while applying the feed; it has been logged."
        )
        raise
    finally:
        Feed.objects.filter(pk=feed.pk).update(reading_since=None)


def read_due_feeds(now: datetime.datetime | None = None) -> list[FeedRun]:
    """Read every active feed that is due, one after another (the scheduled job)."""
    now = now or timezone.now()
    due = Feed.objects.filter(Q(next_read_at__isnull=True) | Q(next_read_at__lte=now), active=True)
    return [read_feed_now(feed) for feed in due.order_by("next_read_at", "pk")]


def apply_feed_records(
    feed: Feed, records: list[Any], *, run: FeedRun, actor: Any = None, unreadable: Mapping[str, str] | None = None
) -> FeedRun:
    """Apply one complete read of the feed: each record on its own, then the records that were not in it.

    ``unreadable`` names records the feed lists but whose own record could not be read (id → why): they are
    quarantined, and what Waymark has of them stays as it is."""
    unreadable = unreadable or {}
    prefetch_related_objects([feed], "needs")  # every record is given the feed's needs: read them once
    now = run.started_at
    known = {record.source_id: record for record in feed.records.select_related("service")}
    seen: set[str] = set()
    repeated: list[str] = []
    for number, raw in enumerate(records, start=1):
        source_id = _source_id(raw, number)
        if source_id in seen:
            repeated.append(source_id)
            continue
        seen.add(source_id)
        run.records_read += 1
        record = known.get(source_id) or FeedRecord(feed=feed, source_id=source_id, first_seen_at=now)
        if source_id in unreadable:
            record.name = _name(raw)[:255]
            record.content_hash = ""  # read it again in full next time
            _quarantine(record, [_problem("the record", "", unreadable[source_id])], received=raw, run=run, now=now)
            continue
        _apply_one(feed, record, raw, number=number, run=run, actor=actor, now=now)
    if repeated:
        run.message = f"{len(repeated)} record(s) repeated an id already read, and were passed over: " + ", ".join(
            repeated[:5]
        )
    _mark_vanished(feed, seen, run=run, actor=actor, now=now)
    run.save()
    return run


def _apply_one(
    feed: Feed, record: FeedRecord, raw: Any, *, number: int, run: FeedRun, actor: Any, now: datetime.datetime
) -> None:
    digest = fingerprint(raw)
    record.name = _name(raw)[:255]
    record.last_seen_at = now
    record.vanished_at = None
    unchanged = record.pk and digest == record.content_hash and record.state != FeedRecordState.RETIRED
    if unchanged and record.state == FeedRecordState.CURRENT:
        run.unchanged += 1
        record.save(update_fields=["name", "last_seen_at", "vanished_at"])
        return
    if unchanged and record.state == FeedRecordState.HELD:
        run.held += 1
        record.save(update_fields=["name", "last_seen_at", "vanished_at"])
        return
    record.content_hash = digest
    if contains_nul(raw):
        # Not storable as it is (PostgreSQL refuses NUL in text and JSON); the reason is what a person needs.
        problem = _problem(f"record {number}", "", "holds an invisible NUL character (\\u0000)")
        _quarantine(record, [problem], received=None, run=run, now=now)
        return
    if record.service_id and _changed_here(record):
        record.state = FeedRecordState.HELD
        record.received = raw
        run.held += 1
        record.save()
        return
    written = write_record(feed, raw, number=number, actor=actor)
    if written.problems:
        _quarantine(record, written.problems, received=raw, run=run, now=now)
        return
    assert written.service is not None
    if written.created:
        run.created += 1
    else:
        run.updated += 1
    _record_written(record, written.service)
    find_possible_duplicates(record)


def write_record(feed: Feed, raw: Any, *, number: int, actor: Any, into: Service | None = None) -> Written:
    """Check one record and write it in one transaction, or report its problems and write nothing.

    ``into`` is the Waymark service a person merged the record with: the record's values are written there.
    """
    if not isinstance(raw, Mapping):
        return Written(None, [_problem(f"record {number}", "", "is not a record with named fields")], False)
    localised = localise(feed, raw, into=into)
    places = Places("field")
    label_nested(places, localised, "service", with_name("the record", localised))
    given = localised.get("id")
    service_id: str = given if isinstance(given, str) else ""  # a uuid whenever the record has an id
    existed = bool(service_id) and Service.objects.filter(uuid=service_id).exists()
    with transaction.atomic():
        report = Importer(actor=actor, places=places, progress=None).run([localised])
        if report.errors:
            return Written(None, [_problem(p.record, p.field, p.message) for p in report.errors], False)
        service = Service.objects.get(uuid=service_id)
        if not service.published and service.status in RUNNING_STATUSES and service.has_contact_route:
            service = directory_services.update_service(actor=actor, service=service, data={"published": True})
    return Written(service, [], not existed)


def _quarantine(
    record: FeedRecord, problems: list[dict[str, str]], *, received: Any, run: FeedRun, now: datetime.datetime
) -> None:
    """Keep the record out, with its reasons; the last good version, if there was one, stays in Waymark."""
    record.state = FeedRecordState.QUARANTINED
    record.problems = problems
    record.received = received
    record.last_seen_at = now
    record.vanished_at = None
    run.quarantined += 1
    record.save()


def _record_written(record: FeedRecord, service: Service) -> None:
    record.service = service
    record.state = FeedRecordState.CURRENT
    record.problems = []
    record.received = None
    record.retired_at = None
    record.applied_hash = waymark_fingerprint(service)
    record.save()


def _changed_here(record: FeedRecord) -> bool:
    """Whether Waymark's copy must not be overwritten: a person chose it (kept or merged), or it was edited here."""
    assert record.service is not None
    return record.waymark_leads or waymark_fingerprint(record.service) != record.applied_hash


def find_possible_duplicates(record: FeedRecord) -> list[PossibleDuplicate]:
    """Services already in Waymark (local or from any feed) with a similar name or the same postcode."""
    service = record.service
    if service is None:
        return []
    postcode = service.locations.exclude(postcode="").values_list("postcode", flat=True).first() or ""
    similar = directory_services.find_similar_services(service.name, postcode, exclude=service)
    found = []
    for other in similar.order_by("pk")[:DUPLICATES_PER_RECORD]:
        duplicate, _created = PossibleDuplicate.objects.get_or_create(record=record, other=other)
        found.append(duplicate)
    return found


def _mark_vanished(feed: Feed, seen: set[str], *, run: FeedRun, actor: Any, now: datetime.datetime) -> None:
    missing = feed.records.exclude(source_id__in=seen).exclude(state=FeedRecordState.RETIRED)
    # A quarantined record that never reached Waymark leaves nothing to keep once it is gone from the feed.
    missing.filter(state=FeedRecordState.QUARANTINED, service__isnull=True).delete()
    run.vanished += missing.filter(vanished_at__isnull=True).update(vanished_at=now)
    grace_ended = now - datetime.timedelta(days=feed.grace_days)
    for record in missing.filter(vanished_at__lte=grace_ended).select_related("service"):
        with transaction.atomic():
            if record.service is not None and not record.merged and record.service.published:
                directory_services.update_service(actor=actor, service=record.service, data={"published": False})
                # Waymark's own change: not an edit that should hold the record back if it returns.
                record.applied_hash = waymark_fingerprint(record.service)
            record.state = FeedRecordState.RETIRED
            record.retired_at = now
            record.received = None
            record.save(update_fields=["state", "retired_at", "received", "applied_hash"])
        run.retired += 1


def finish_run(feed: Feed, run: FeedRun, outcome: str, message: str, *, at: datetime.datetime | None = None) -> FeedRun:
    """Close the run with its outcome and message, and note on the feed how it went and when to read next."""
    now = at or timezone.now()
    run.outcome = outcome
    run.message = " ".join(part for part in (message, run.message) if part)
    run.finished_at = now
    run.save()
    Feed.objects.filter(pk=feed.pk).update(
        last_read_at=now,
        last_outcome=outcome,
        last_message=run.message,
        next_read_at=now + datetime.timedelta(hours=feed.read_every),
        last_success_at=now if outcome == FeedRunOutcome.READ else F("last_success_at"),
    )
    return run


def run_summary(run: FeedRun) -> str:
    """What a read did, in one line for the feed's page."""
    parts = [
        (run.records_read, "read"),
        (run.created, "added"),
        (run.updated, "updated"),
        (run.unchanged, "unchanged"),
        (run.quarantined, "quarantined"),
        (run.held, "waiting for review"),
        (run.vanished, "gone from the feed"),
        (run.retired, "unpublished"),
    ]
    return "Records: " + ", ".join(f"{count:,} {word}" for count, word in parts if count or word == "read") + "."


def _source_id(raw: Any, number: int) -> str:
    source_id = raw.get("id") if isinstance(raw, Mapping) else None
    if _is_text(source_id):
        return str(source_id).replace("\x00", "").strip()[:255]
    return f"#{number}"


def _name(raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, Mapping) else None
    return name.replace("\x00", "").strip() if isinstance(name, str) else ""


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _problem(where: str, field_name: str, message: str) -> dict[str, str]:
    return {"where": where, "field": field_name, "message": message}
