"""What a person decides about a feed's records: whose version of a changed record stands, and whether a
possible duplicate is the same service (merged) or a different one."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from waymark.core.audit import acting_as
from waymark.directory import services as directory_services
from waymark.directory.choices import DuplicateDecision, FeedRecordState, VersionDecision
from waymark.directory.feeds.records import local_id, waymark_fingerprint
from waymark.directory.feeds.syncing import write_record
from waymark.directory.models import FeedRecord, PossibleDuplicate, Service


def keep_waymark_version(*, actor: Any, record: FeedRecord) -> FeedRecord:
    """Keep Waymark's copy as it is; this and later changes at the source wait for a person."""
    if record.state != FeedRecordState.HELD or record.service is None:
        raise ValidationError("This record has no change waiting for review.")
    record.state = FeedRecordState.CURRENT
    record.waymark_leads = True
    record.received = None
    record.applied_hash = waymark_fingerprint(record.service)
    _decided(record, VersionDecision.WAYMARK, actor)
    record.save(
        update_fields=["state", "waymark_leads", "received", "applied_hash", "decision", "decided_by", "decided_at"]
    )
    return record


def _decided(record: FeedRecord, decision: VersionDecision, actor: Any) -> None:
    record.decision = decision
    record.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    record.decided_at = timezone.now()


def take_source_version(*, actor: Any, record: FeedRecord) -> FeedRecord:
    """Write the source's version over Waymark's copy. A version that breaks Waymark's rules is
    quarantined with its reasons and Waymark's copy stays as it was."""
    if record.state != FeedRecordState.HELD or record.received is None:
        raise ValidationError("This record has no change waiting for review.")
    into = record.service if record.merged else None
    written = write_record(record.feed, record.received, number=1, actor=actor, into=into)
    if written.problems:
        record.state = FeedRecordState.QUARANTINED
        record.problems = written.problems
        record.save(update_fields=["state", "problems"])
        return record
    assert written.service is not None
    record.service = written.service
    record.state = FeedRecordState.CURRENT
    record.waymark_leads = record.merged
    record.problems = []
    record.received = None
    record.applied_hash = waymark_fingerprint(written.service)
    _decided(record, VersionDecision.SOURCE, actor)
    record.save()
    return record


def merge_duplicate(*, actor: Any, duplicate: PossibleDuplicate) -> FeedRecord:
    """The feed's record is the service Waymark already had: the feed's copy goes (or, when other records
    point at it, is unpublished), the record follows the kept service, and later changes wait for review."""
    if duplicate.decision != DuplicateDecision.OPEN:
        raise ValidationError("This possible duplicate has already been decided.")
    record = duplicate.record
    copy, kept = record.service, duplicate.other
    with transaction.atomic(), acting_as(actor):
        _decide(duplicate, DuplicateDecision.SAME, actor)
        record.duplicates.filter(decision=DuplicateDecision.OPEN).exclude(pk=duplicate.pk).delete()
        record.service = kept
        record.merged = True
        record.waymark_leads = True
        record.state = FeedRecordState.CURRENT
        record.received = None
        record.applied_hash = waymark_fingerprint(kept)
        record.save()
        if copy is not None and str(copy.uuid) == local_id(record.feed, record.source_id):
            _remove_copy(copy, actor)
    return record


def tell_apart(*, actor: Any, duplicate: PossibleDuplicate) -> PossibleDuplicate:
    """They are different services: both stay, and the pair is not shown again."""
    if duplicate.decision != DuplicateDecision.OPEN:
        raise ValidationError("This possible duplicate has already been decided.")
    _decide(duplicate, DuplicateDecision.DIFFERENT, actor)
    return duplicate


def _decide(duplicate: PossibleDuplicate, decision: str, actor: Any) -> None:
    duplicate.decision = decision
    duplicate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    duplicate.decided_at = timezone.now()
    duplicate.save(update_fields=["decision", "decided_by", "decided_at"])


def _remove_copy(copy: Service, actor: Any) -> None:
    try:
        with transaction.atomic():
            Service.objects.filter(pk=copy.pk).delete()
            # Its entry leaves the search index too, or searches would count a service nobody can open.
            directory_services.refresh_search_index([copy.pk])
    except ProtectedError:
        if copy.published:
            directory_services.update_service(actor=actor, service=copy, data={"published": False})
