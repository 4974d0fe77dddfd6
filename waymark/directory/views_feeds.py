"""Staff pages for neighbours' feeds: register one, read it now, and decide what its changes, quarantined
records and possible duplicates mean for Waymark's records. Writes go through ``directory.feeds``."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waymark.core.jobs import start_job
from waymark.core.lists import page_of
from waymark.core.models import Job
from waymark.core.permissions import require_permission
from waymark.core.views_forms import service_form_page
from waymark.core.views_jobs import StrOrPromise, job_page
from waymark.directory.choices import DuplicateDecision, FeedRecordState
from waymark.directory.feeds import decisions
from waymark.directory.feeds.jobs import FEED_READ_JOB_NAME, read_feed_job
from waymark.directory.feeds.registration import create_feed, update_feed
from waymark.directory.feeds.review import differences
from waymark.directory.forms_feeds import FeedForm
from waymark.directory.models import Feed, FeedRecord, PossibleDuplicate

FEEDS_PER_PAGE = 25
RECORDS_PER_PAGE = 25
RUNS_PER_PAGE = 10
WAITING_SHOWN = 10


def _crumbs(feed: Feed | None = None) -> list[tuple[StrOrPromise, str]]:
    crumbs: list[tuple[StrOrPromise, str]] = [
        (_("Home"), reverse("core:home")),
        (_("Manage directory"), reverse("directory:manage")),
        (_("Neighbours’ feeds"), reverse("directory:feed_list")),
    ]
    if feed is not None:
        crumbs.append((feed.name, reverse("directory:feed_detail", args=[feed.uuid])))
    return crumbs


def _get_feed(request: HttpRequest, uuid: Any) -> Feed:
    return get_object_or_404(Feed.objects.visible_to(request.user), uuid=uuid)


def _record_counts() -> dict[str, Any]:
    """Records by state; distinct, as the list also joins each record's duplicates."""
    return {
        "in_waymark": Count("records", filter=Q(records__state=FeedRecordState.CURRENT), distinct=True),
        "quarantined": Count("records", filter=Q(records__state=FeedRecordState.QUARANTINED), distinct=True),
        "held": Count("records", filter=Q(records__state=FeedRecordState.HELD), distinct=True),
        "vanished": Count(
            "records",
            filter=Q(records__vanished_at__isnull=False) & ~Q(records__state=FeedRecordState.RETIRED),
            distinct=True,
        ),
    }


@require_GET
@require_permission("directory.feeds")
def feed_list(request: HttpRequest) -> HttpResponse:
    """Every registered feed with how its last read went and what waits for a person."""
    feeds = (
        Feed.objects.visible_to(request.user)
        .annotate(**_record_counts())
        .annotate(
            open_duplicates=Count(
                "records__duplicates", filter=Q(records__duplicates__decision=DuplicateDecision.OPEN), distinct=True
            )
        )
        .order_by("name", "pk")
    )
    return render(
        request,
        "directory/feed_list.html",
        {"page_obj": page_of(request, feeds, FEEDS_PER_PAGE), "breadcrumbs": _crumbs()[:-1]},
    )


@require_permission("directory.feeds")
def feed_create(request: HttpRequest) -> HttpResponse:
    form = FeedForm(request.POST or None)
    return service_form_page(
        request,
        form,
        save=lambda: create_feed(actor=request.user, data=form.cleaned_data),
        saved_message=_("Feed added. Waymark reads it within a quarter of an hour, or now if you choose."),
        next_page=lambda feed: feed.get_absolute_url(),
        template="directory/feed_form.html",
        context={"breadcrumbs": _crumbs(), "feed": None},
    )


@require_permission("directory.feeds")
def feed_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    feed = _get_feed(request, uuid)
    form = FeedForm(request.POST or None, instance=feed)
    return service_form_page(
        request,
        form,
        save=lambda: update_feed(actor=request.user, feed=feed, data=form.cleaned_data),
        saved_message=_("Feed saved."),
        next_page=lambda saved: saved.get_absolute_url(),
        template="directory/feed_form.html",
        context={"breadcrumbs": _crumbs(feed), "feed": feed},
    )


@require_GET
@require_permission("directory.feeds")
def feed_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The feed's settings, its last read, what waits for a decision, and its reads, newest first."""
    feed = _get_feed(request, uuid)
    counts = Feed.objects.filter(pk=feed.pk).annotate(**_record_counts()).values(*_record_counts()).get()
    held = feed.records.filter(state=FeedRecordState.HELD).select_related("service")
    duplicates = (
        PossibleDuplicate.objects.filter(record__feed=feed, decision=DuplicateDecision.OPEN)
        .select_related("record__service", "other__organisation")
        .order_by("record__name", "pk")
    )
    return render(
        request,
        "directory/feed_detail.html",
        {
            "feed": feed,
            "needs": list(feed.needs.all()),
            "counts": counts,
            "held": held[:WAITING_SHOWN],
            "duplicates": duplicates[:WAITING_SHOWN],
            "duplicates_total": duplicates.count(),
            "quarantined": feed.records.filter(state=FeedRecordState.QUARANTINED)[:WAITING_SHOWN],
            "runs": page_of(request, feed.runs.all(), RUNS_PER_PAGE),
            "breadcrumbs": _crumbs(),
        },
    )


@require_POST
@require_permission("directory.feeds")
def feed_read(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Read the feed now, in the background; the job's page follows it."""
    feed = _get_feed(request, uuid)
    job = start_job(
        read_feed_job,
        name=FEED_READ_JOB_NAME,
        label=_("Read %(feed)s") % {"feed": feed.name},
        actor=request.user,
        feed_uuid=str(feed.uuid),
    )
    return redirect("directory:feed_read_job", uuid=feed.uuid, job=job.uuid)


@require_GET
@require_permission("directory.feeds")
def feed_read_job(request: HttpRequest, uuid: Any, job: Any) -> HttpResponse:
    feed = _get_feed(request, uuid)
    reading = get_object_or_404(Job.objects.visible_to(request.user), uuid=job, name=FEED_READ_JOB_NAME)
    return job_page(
        request,
        reading,
        progress_template="directory/_feed_read_progress.html",
        context={"feed": feed, "result": reading.result if isinstance(reading.result, dict) else {}},
        breadcrumbs=_crumbs(feed),
        caption=feed.name,
        while_running=_("This page updates by itself while Waymark reads the feed. You can leave it and come back."),
    )


@require_GET
@require_permission("directory.feeds")
def feed_records(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The feed's records in one state (``?state=``), each with its source id and when it was last seen."""
    feed = _get_feed(request, uuid)
    state = request.GET.get("state", FeedRecordState.CURRENT)
    if state not in FeedRecordState.values:
        state = FeedRecordState.CURRENT
    records = feed.records.filter(state=state).select_related("service").order_by("name", "source_id")
    return render(
        request,
        "directory/feed_records.html",
        {
            "feed": feed,
            "state": FeedRecordState(state),
            "states": FeedRecordState.choices,
            "page_obj": page_of(request, records, RECORDS_PER_PAGE),
            "breadcrumbs": _crumbs(feed),
        },
    )


def _get_record(request: HttpRequest, uuid: Any, pk: int) -> FeedRecord:
    feed = _get_feed(request, uuid)
    return get_object_or_404(FeedRecord.objects.select_related("feed", "service__organisation"), feed=feed, pk=pk)


@require_GET
@require_permission("directory.feeds")
def feed_record(request: HttpRequest, uuid: Any, pk: int) -> HttpResponse:
    """One record: why it is quarantined, what changed at the source, and services it may duplicate."""
    record = _get_record(request, uuid, pk)
    return render(
        request,
        "directory/feed_record.html",
        {
            "record": record,
            "feed": record.feed,
            "differences": differences(record) if record.state == FeedRecordState.HELD else [],
            "duplicates": record.duplicates.select_related("other__organisation", "decided_by"),
            "breadcrumbs": _crumbs(record.feed),
        },
    )


@require_POST
@require_permission("directory.feeds")
def feed_record_decide(request: HttpRequest, uuid: Any, pk: int) -> HttpResponse:
    """Keep Waymark's copy, or take the source's version, of a record changed in both places."""
    record = _get_record(request, uuid, pk)
    action = request.POST.get("action")
    try:
        if action == "keep":
            decisions.keep_waymark_version(actor=request.user, record=record)
            messages.success(request, _("Waymark’s copy kept. Later changes at the source will wait for review."))
        elif action == "take":
            record = decisions.take_source_version(actor=request.user, record=record)
            if record.state == FeedRecordState.QUARANTINED:
                messages.error(request, _("The source’s version breaks Waymark’s rules, so it was quarantined."))
            else:
                messages.success(request, _("The source’s version has replaced Waymark’s copy."))
        else:
            messages.error(request, _("Choose whether to keep Waymark’s copy or take the source’s version."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("directory:feed_record", uuid=record.feed.uuid, pk=record.pk)


@require_POST
@require_permission("directory.feeds")
def duplicate_decide(request: HttpRequest, uuid: Any, pk: int) -> HttpResponse:
    """Merge a feed's record into the service Waymark already had, or say they are different services."""
    feed = _get_feed(request, uuid)
    duplicate = get_object_or_404(
        PossibleDuplicate.objects.select_related("record__feed", "record__service", "other"), record__feed=feed, pk=pk
    )
    action = request.POST.get("action")
    try:
        if action == "same":
            decisions.merge_duplicate(actor=request.user, duplicate=duplicate)
            messages.success(
                request,
                _("Merged: the feed’s record now follows ‘%(name)s’, and its changes will wait for review.")
                % {"name": duplicate.other.name},
            )
        elif action == "different":
            decisions.tell_apart(actor=request.user, duplicate=duplicate)
            messages.success(request, _("Marked as different services. Both stay listed."))
        else:
            messages.error(request, _("Choose whether they are the same service or different services."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("directory:feed_record", uuid=feed.uuid, pk=duplicate.record.pk)
