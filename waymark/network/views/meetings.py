"""Pages for a network's meetings: the calendar of meetings, series, agendas, attendance, minutes and actions.

Permission at the door (``core.policy`` through ``require_permission``), rows from
``visible_to(user)`` so a member never reaches another network's meeting, and every write through
``network.services.meetings`` or ``network.services.minutes``.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waymark.core import policy, signed_links
from waymark.core.forms import attach_errors
from waymark.core.history import render_history
from waymark.core.lists import filtered_list_page, page_of
from waymark.core.permissions import check_permission, require_permission
from waymark.core.text import render_markdown
from waymark.core.views import link_refused
from waymark.core.views_forms import service_form_page
from waymark.network import calendars
from waymark.network.agendas import timed_agenda
from waymark.network.filtersets import PAST, UPCOMING, ActionFilterSet, MeetingFilterSet
from waymark.network.forms_meetings import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    CommentForm,
    MeetingForm,
    MinutesForm,
    SeriesChangeForm,
    SeriesForm,
    current_members,
)
from waymark.network.ical import ics_response
from waymark.network.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesComment,
    MinutesStatus,
    Network,
)
from waymark.network.permissions import minute_taker_network_ids
from waymark.network.services import meetings as meeting_services
from waymark.network.services import minutes as minutes_services

MEETINGS_PER_PAGE = 20
ACTIONS_PER_PAGE = 25


def _fields_of(form: forms.ModelForm) -> dict[str, Any]:
    """The cleaned values of the form's model fields, for the service."""
    return {name: form.cleaned_data[name] for name in form._meta.fields or ()}


def _network(request: HttpRequest, slug: str) -> Network:
    return get_object_or_404(Network.objects.visible_to(request.user), slug=slug)


def _meeting(request: HttpRequest, uuid: Any) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("network", "series"), uuid=uuid)


def _network_crumbs(network: Network) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (network.name, network.get_absolute_url()),
        (_("Meetings"), reverse("network:network_meetings", args=[network.slug])),
    ]


def _meeting_crumbs(meeting: Meeting) -> list[tuple[str, str]]:
    return [*_network_crumbs(meeting.network), (str(meeting), meeting.get_absolute_url())]


def _form_page[Saved](
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], Saved],
    saved_message: str | Callable[[Saved], str],
    next_page: Callable[[Saved], Any],
    network: Network,
    heading: str,
    breadcrumbs: list[tuple[str, str]],
    intro: str = "",
    panels: tuple[str, Any] | None = None,
) -> HttpResponse:
    """A meeting, series, agenda or action form page whose valid POST calls the service in ``save``; ``panels``
    (a ``core.panels`` slot and the record) shows what other apps registered for it below the form."""
    slot, panel_object = panels or ("", None)
    return service_form_page(
        request,
        form,
        save=save,
        saved_message=saved_message,
        next_page=next_page,
        template="network/meetings/form.html",
        context={
            "network": network,
            "heading": heading,
            "intro": intro,
            "breadcrumbs": breadcrumbs,
            "panel_slot": slot,
            "panel_object": panel_object,
        },
        invalid_status=200,
    )


# --- A network's meetings ---------------------------------------------------------------------------


@require_permission("meeting.view")
def network_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    """Upcoming meetings first (``?when=past`` for earlier ones), with the calendar subscription link."""
    network = _network(request, slug)
    past = request.GET.get("when") == PAST
    rows = Meeting.objects.visible_to(request.user).filter(network=network).select_related("minutes")
    return filtered_list_page(
        request,
        MeetingFilterSet({"when": PAST if past else UPCOMING}, queryset=rows, request=request),
        per_page=MEETINGS_PER_PAGE,
        template="network/meetings/meeting_list.html",
        rows_template="network/meetings/_meeting_list_rows.html",
        rows_name="meetings",
        context={
            "network": network,
            "past": past,
            "series_list": MeetingSeries.objects.visible_to(request.user).filter(network=network),
            "feed_url": calendars.feed_url(request.user, network),
            "can_manage": policy.can(request.user, "meeting.manage"),
            "breadcrumbs": [(_("Home"), reverse("core:home")), (network.name, network.get_absolute_url())],
        },
    )


def network_meetings_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The network's meetings as an iCalendar feed, for a signed-in user or a private subscription link."""
    network = get_object_or_404(Network, slug=slug)
    token = request.GET.get("token", "")
    try:
        user = calendars.feed_user(token, network) if token else request.user
    except signed_links.LinkRefused as refusal:
        return link_refused(
            request,
            refusal,
            link_name=_("calendar link"),
            advice=_("Sign in and copy your new private calendar address from the network's meetings page."),
            next_url=reverse("network:network_meetings", args=[network.slug]),
            next_text=_("Get a new calendar address"),
        )
    if not getattr(user, "is_authenticated", False):
        return redirect_to_login(request.get_full_path())
    if not policy.can(user, "meeting.view") or not Network.objects.visible_to(user).filter(pk=network.pk).exists():
        raise PermissionDenied
    return ics_response(calendars.network_calendar(network), f"{network.slug}-meetings.ics")


@require_permission("meeting.view")
@require_POST
def network_meetings_feed_replace(request: HttpRequest, slug: str) -> HttpResponse:
    """Replace the user's own calendar address (shared by mistake, or a lost device): the old one stops."""
    network = _network(request, slug)
    meeting_services.replace_feed_links(actor=request.user, user=request.user)
    messages.success(
        request, _("Your calendar address has changed. Subscribe to the new one: the old one no longer works.")
    )
    return redirect("network:network_meetings", slug=network.slug)


@require_permission("meeting.manage")
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A one-off meeting outside any series."""
    network = _network(request, slug)
    form = MeetingForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda: meeting_services.create_meeting(actor=request.user, network=network, data=form.meeting_data()),
        saved_message=_("Meeting added."),
        next_page=lambda meeting: meeting,
        network=network,
        heading=_("Add a meeting"),
        breadcrumbs=_network_crumbs(network),
    )


@require_permission("meeting.manage")
def series_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Set up regular meetings; they are booked twelve months ahead at once."""
    network = _network(request, slug)
    form = SeriesForm(request.POST or None, initial={"interval": 6, "duration_minutes": 120})
    return _form_page(
        request,
        form,
        save=lambda: meeting_services.create_series(actor=request.user, network=network, data=form.cleaned_data),
        saved_message=lambda series: (
            _("Series set up: %(count)d meetings booked.") % {"count": series.meetings.count()}
        ),
        next_page=lambda series: series,
        network=network,
        heading=_("Set up regular meetings"),
        intro=_("Meetings are booked twelve months ahead. You can move or cancel any one of them afterwards."),
        breadcrumbs=_network_crumbs(network),
    )


# --- Series -----------------------------------------------------------------------------------------


def _series(request: HttpRequest, uuid: Any) -> MeetingSeries:
    return get_object_or_404(MeetingSeries.objects.visible_to(request.user).select_related("network"), uuid=uuid)


@require_permission("meeting.view")
def series_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    series = _series(request, uuid)
    page = page_of(request, series.meetings.order_by("start", "pk"), MEETINGS_PER_PAGE)
    context = {
        "series": series,
        "network": series.network,
        "page_obj": page,
        "meetings": page.object_list,
        "can_manage": policy.can(request.user, "meeting.manage"),
        "breadcrumbs": _network_crumbs(series.network),
    }
    return render(request, "network/meetings/series_detail.html", context)


@require_permission("meeting.manage")
def series_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    series = _series(request, uuid)
    form = SeriesChangeForm(request.POST or None, instance=series)
    return _form_page(
        request,
        form,
        save=lambda: meeting_services.update_series(actor=request.user, series=series, data=_fields_of(form)),
        saved_message=_("Series changed, with every future meeting in it."),
        next_page=lambda changed: reverse("network:series_detail", args=[changed.uuid]),
        network=series.network,
        heading=_("Change the series"),
        intro=_("Every future meeting of the series that is not cancelled changes too."),
        breadcrumbs=[*_network_crumbs(series.network), (series.title, series.get_absolute_url())],
    )


@require_POST
@require_permission("meeting.manage")
def series_book(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Book the series twelve months ahead from today; dates already booked are left alone."""
    series = _series(request, uuid)
    added = meeting_services.book_series(actor=request.user, series=series)
    messages.success(request, _("%(count)d more meetings booked.") % {"count": len(added)})
    return redirect(series)


# --- One meeting ------------------------------------------------------------------------------------


@require_permission("meeting.view")
def meeting_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Everything about one meeting: when and where, agenda, attendance, minutes and actions."""
    meeting = _meeting(request, uuid)
    agenda = timed_agenda(meeting)
    minutes = Minutes.objects.visible_to(request.user).filter(meeting=meeting).first()
    attendance = list(meeting.attendance.select_related("contact"))
    context = {
        "meeting": meeting,
        "network": meeting.network,
        "agenda": agenda,
        "agenda_untimed": any(row.starts is None for row in agenda),
        "attendance": attendance,
        "attendance_counts": {
            status: sum(1 for row in attendance if row.status == status) for status in ("present", "apologies")
        },
        "minutes": minutes,
        "actions": meeting.actions.select_related("owner"),
        "can_manage": policy.can(request.user, "meeting.manage"),
        "can_write_minutes": policy.can(request.user, "minutes.write", meeting),
        "breadcrumbs": _network_crumbs(meeting.network),
    }
    return render(request, "network/meetings/meeting_detail.html", context)


@require_permission("meeting.view")
def meeting_ics(request: HttpRequest, uuid: Any) -> HttpResponse:
    meeting = _meeting(request, uuid)
    return ics_response(calendars.meeting_calendar(meeting), f"meeting-{meeting.uuid}.ics")


@require_permission("meeting.manage")
def meeting_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    meeting = _meeting(request, uuid)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    return _form_page(
        request,
        form,
        save=lambda: meeting_services.update_meeting(actor=request.user, meeting=meeting, data=form.meeting_data()),
        saved_message=_("Meeting changed. Subscribed calendars will update."),
        next_page=lambda changed: changed,
        network=meeting.network,
        heading=_("Change the meeting"),
        breadcrumbs=_meeting_crumbs(meeting),
    )


@require_permission("meeting.manage")
def meeting_cancel(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A confirmation page; the POST cancels (or, for a cancelled meeting, puts it back on)."""
    meeting = _meeting(request, uuid)
    if request.method == "POST":
        if meeting.cancelled:
            meeting_services.reinstate_meeting(actor=request.user, meeting=meeting)
            messages.success(request, _("The meeting is back on."))
        else:
            meeting_services.cancel_meeting(actor=request.user, meeting=meeting)
            messages.success(request, _("Meeting cancelled. Subscribed calendars will show it as cancelled."))
        return redirect(meeting)
    context = {"meeting": meeting, "network": meeting.network, "breadcrumbs": _meeting_crumbs(meeting)}
    return render(request, "network/meetings/meeting_cancel.html", context)


# --- Agenda and attendance --------------------------------------------------------------------------


@require_permission("meeting.manage")
def agenda_item_form(request: HttpRequest, uuid: Any, pk: int | None = None) -> HttpResponse:
    """Add an agenda item, or change one (``pk``)."""
    meeting = _meeting(request, uuid)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=pk) if pk else None
    form = AgendaItemForm(request.POST or None, instance=item, network=meeting.network)

    def save() -> AgendaItem:
        if item is None:
            return meeting_services.add_agenda_item(actor=request.user, meeting=meeting, data=_fields_of(form))
        return meeting_services.update_agenda_item(actor=request.user, item=item, data=_fields_of(form))

    return _form_page(
        request,
        form,
        save=save,
        saved_message=_("Agenda saved."),
        next_page=lambda saved: meeting,
        network=meeting.network,
        heading=_("Change an agenda item") if item else _("Add an agenda item"),
        breadcrumbs=_meeting_crumbs(meeting),
    )


@require_POST
@require_permission("meeting.manage")
def agenda_item_remove(request: HttpRequest, uuid: Any, pk: int) -> HttpResponse:
    meeting = _meeting(request, uuid)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=pk)
    meeting_services.remove_agenda_item(actor=request.user, item=item)
    messages.success(request, _("Agenda item removed."))
    return redirect(meeting)


@require_POST
@require_permission("meeting.manage")
def agenda_item_move(request: HttpRequest, uuid: Any, pk: int) -> HttpResponse:
    """One place up or down (``direction``); the times of the items follow from the new order."""
    meeting = _meeting(request, uuid)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=pk)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponseBadRequest(_("Choose whether to move the item up or down."))
    meeting_services.move_agenda_item(actor=request.user, item=item, up=direction == "up")
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@require_permission("meeting.manage")
def agenda_send(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A question naming how many members get the agenda; the POST e-mails it to them."""
    meeting = _meeting(request, uuid)
    if request.method == "POST":
        result = meeting_services.send_agenda(actor=request.user, meeting=meeting)
        text = ngettext("Agenda sent to %(sent)d member.", "Agenda sent to %(sent)d members.", result.sent) % {
            "sent": result.sent
        }
        if result.unchanged:
            text += " " + ngettext(
                "%(count)d already had this agenda and was not sent it again.",
                "%(count)d already had this agenda and were not sent it again.",
                result.unchanged,
            ) % {"count": result.unchanged}
        if result.skipped:
            text += " " + ngettext(
                "%(count)d member may not be e-mailed and was skipped.",
                "%(count)d members may not be e-mailed and were skipped.",
                result.skipped,
            ) % {"count": result.skipped}
        messages.success(request, text)
        return redirect(meeting)
    members = meeting_services.agenda_recipients(meeting)
    reachable = sum(1 for contact in members if contact.may_be_emailed)
    context = {
        "meeting": meeting,
        "network": meeting.network,
        "agenda": timed_agenda(meeting),
        "reachable": reachable,
        "skipped": len(members) - reachable,
        "breadcrumbs": _meeting_crumbs(meeting),
    }
    return render(request, "network/meetings/agenda_send.html", context)


@require_permission("meeting.manage")
def attendance(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Who came, who sent apologies, who was absent: one question per current member."""
    meeting = _meeting(request, uuid)
    members = list(current_members(meeting.network))
    recorded_rows = meeting.attendance.select_related("contact")
    recorded = {row.contact_id: row.status for row in recorded_rows}
    # Someone who has left since the meeting still has their attendance shown and kept.
    members += [row.contact for row in recorded_rows if row.contact not in members]
    form = AttendanceForm(request.POST or None, members=members, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        meeting_services.record_attendance(actor=request.user, meeting=meeting, statuses=form.statuses())
        messages.success(request, _("Attendance saved."))
        return redirect(meeting)
    context = {"meeting": meeting, "network": meeting.network, "form": form, "breadcrumbs": _meeting_crumbs(meeting)}
    return render(request, "network/meetings/attendance.html", context)


# --- Minutes ----------------------------------------------------------------------------------------


def _minutes(request: HttpRequest, meeting: Meeting) -> Minutes:
    return get_object_or_404(Minutes.objects.visible_to(request.user), meeting=meeting)


@require_permission("meeting.view")
def minutes_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The minutes, their comments while circulated, and the minute-taker's next step."""
    meeting = _meeting(request, uuid)
    minutes = _minutes(request, meeting)
    can_comment = policy.can(request.user, "minutes.comment", minutes)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        if form.is_valid():
            try:
                minutes_services.comment_on_minutes(actor=request.user, minutes=minutes, text=form.cleaned_data["text"])
            except (ValidationError, minutes_services.MinutesError) as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Thank you: your comment has been added for the minute-taker."))
                return redirect("network:minutes_detail", uuid=meeting.uuid)
    can_write = policy.can(request.user, "minutes.write", meeting)
    comments = MinutesComment.objects.none()
    if minutes.status != MinutesStatus.PUBLISHED or can_write:
        comments = minutes.comments.select_related("author")
    context = {
        "meeting": meeting,
        "network": meeting.network,
        "minutes": minutes,
        "minutes_html": render_markdown(minutes.text),
        "comments": comments,
        "form": form,
        "can_comment": can_comment,
        "can_write": can_write,
        "can_see_history": policy.can(request.user, "minutes.history"),
        "breadcrumbs": _meeting_crumbs(meeting),
    }
    return render(request, "network/meetings/minutes_detail.html", context)


@require_permission("minutes.write")
def minutes_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The minute-taker writes or revises the minutes (until they are published)."""
    meeting = _meeting(request, uuid)
    check_permission(request, "minutes.write", meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.status == MinutesStatus.PUBLISHED:
        messages.info(request, _("These minutes are published and can no longer be changed."))
        return redirect("network:minutes_detail", uuid=meeting.uuid)
    form = MinutesForm(request.POST or None, initial={"text": minutes.text if minutes else _minutes_outline(meeting)})
    return service_form_page(
        request,
        form,
        save=lambda: minutes_services.save_minutes(actor=request.user, meeting=meeting, text=form.cleaned_data["text"]),
        saved_message=_("Minutes saved."),
        next_page=lambda saved: reverse("network:minutes_detail", args=[meeting.uuid]),
        template="network/meetings/minutes_form.html",
        context={
            "meeting": meeting,
            "network": meeting.network,
            "minutes": minutes,
            "breadcrumbs": _meeting_crumbs(meeting),
        },
        refusals=(ValidationError, minutes_services.MinutesError),
        invalid_status=200,
    )


def _minutes_outline(meeting: Meeting) -> str:
    """A starting point for new minutes: the agenda as headings."""
    items = meeting.agenda_items.all()
    return "\n\n".join(f"## {index}. {item.title}\n" for index, item in enumerate(items, start=1))


@require_POST
@require_permission("minutes.write")
def minutes_step(request: HttpRequest, uuid: Any, step: str) -> HttpResponse:
    """Circulate draft minutes for comment, or publish circulated ones."""
    meeting = _meeting(request, uuid)
    check_permission(request, "minutes.write", meeting)
    minutes = _minutes(request, meeting)
    try:
        if step == "circulate":
            count = minutes_services.circulate_minutes(actor=request.user, minutes=minutes)
            messages.success(
                request, _("Minutes circulated for comment; %(count)d members were e-mailed.") % {"count": count}
            )
        elif step == "publish":
            minutes_services.publish_minutes(actor=request.user, minutes=minutes)
            messages.success(request, _("Minutes published."))
        else:
            raise Http404
    except minutes_services.MinutesError as error:
        messages.error(request, str(error))
    return redirect("network:minutes_detail", uuid=meeting.uuid)


@require_permission("minutes.history")
def minutes_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    meeting = _meeting(request, uuid)
    minutes = _minutes(request, meeting)
    crumbs = [*_meeting_crumbs(meeting), (_("Minutes"), reverse("network:minutes_detail", args=[meeting.uuid]))]
    return render_history(request, minutes, breadcrumbs=crumbs)


# --- Actions ----------------------------------------------------------------------------------------


@require_permission("minutes.write")
def action_form(request: HttpRequest, uuid: Any | None = None, action_uuid: Any | None = None) -> HttpResponse:
    """Record an action agreed at a meeting (``uuid``), or update one (``action_uuid``)."""
    action = None
    if action_uuid is not None:
        action = get_object_or_404(
            Action.objects.visible_to(request.user).select_related("meeting__network"), uuid=action_uuid
        )
        meeting = action.meeting
    else:
        meeting = _meeting(request, uuid)
    check_permission(request, "minutes.write", meeting)
    form = ActionForm(request.POST or None, instance=action, network=meeting.network)

    def save() -> Action:
        if action is None:
            return minutes_services.create_action(actor=request.user, meeting=meeting, data=_fields_of(form))
        return minutes_services.update_action(actor=request.user, action=action, data=_fields_of(form))

    return _form_page(
        request,
        form,
        save=save,
        saved_message=_("Action saved."),
        next_page=lambda saved: meeting,
        network=meeting.network,
        heading=_("Change an action") if action else _("Record an action"),
        breadcrumbs=_meeting_crumbs(meeting),
        panels=("network.meeting_action", action) if action else None,
    )


@require_permission("meeting.view")
def network_actions(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's actions: open ones by due date, overdue ones marked; ``?status=`` for others."""
    network = _network(request, slug)
    status = request.GET.get("status", ActionStatus.OPEN)
    if status not in ActionStatus.values:
        status = ActionStatus.OPEN
    rows = (
        Action.objects.visible_to(request.user)
        .filter(meeting__network=network)
        .select_related("owner", "meeting")
        .order_by("due_date", "pk")
    )
    counts = dict(
        Action.objects.visible_to(request.user)
        .filter(meeting__network=network)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    overdue = (
        Action.objects.visible_to(request.user)
        .filter(meeting__network=network, status=ActionStatus.OPEN, due_date__lt=timezone.localdate())
        .count()
    )
    return filtered_list_page(
        request,
        ActionFilterSet({"status": status}, queryset=rows, request=request),
        per_page=ACTIONS_PER_PAGE,
        template="network/meetings/action_list.html",
        rows_template="network/meetings/_action_rows.html",
        rows_name="actions",
        context={
            "network": network,
            "status": status,
            "status_label": ActionStatus(status).label,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in ActionStatus.choices],
            "overdue": overdue,
            "can_write": network.pk in minute_taker_network_ids(request.user)
            or policy.can(request.user, "meeting.manage"),
            "breadcrumbs": _network_crumbs(network),
        },
    )
