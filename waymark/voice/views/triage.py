"""Triage for staff: new feedback with safeguarding concerns first, similar items side by side, and the
urgent route that flags a concern and alerts the people who act on it."""

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.voice import triage_queue
from waymark.voice.language import may_request_interpreting
from waymark.voice.models import FeedbackItem
from waymark.voice.services import triage as triage_services

ITEMS_PER_PAGE = 50


@require_permission("voice.triage")
def triage(request: HttpRequest) -> HttpResponse:
    """New items: safeguarding concerns first, then the rest grouped by theme, newest first. Each opens its
    record; one in another language can be sent for interpreting. Ticked items can be marked as read or made
    into an issue."""
    if request.method == "POST":
        chosen = list(triage_queue.new_items(request.user).filter(uuid__in=_uuids(request.POST.getlist("items"))))
        if not chosen:
            messages.error(request, _("Tick at least one item first."))
            return redirect("voice:triage")
        if request.POST.get("action") == "issue":
            query = urlencode([("item", str(item.uuid)) for item in chosen])
            return redirect(reverse("voice:issue_create") + "?" + query)
        moved = triage_services.mark_triaged(actor=request.user, items=chosen)
        messages.success(request, _("%(count)d item(s) marked as triaged.") % {"count": moved})
        return redirect("voice:triage")

    page = page_of(request, triage_queue.new_items(request.user), ITEMS_PER_PAGE)
    items = list(page.object_list)
    for item in items:
        item.offer_interpreting = may_request_interpreting(item)  # type: ignore[attr-defined]
    urgent = [item for item in items if item.safeguarding]
    others = [item for item in items if not item.safeguarding]
    context = {
        "page_obj": page,
        "urgent": urgent,
        "groups": triage_queue.group_similar(others),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "voice/triage/triage.html", context)


def _uuids(values: list[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(UUID(value)))
        except ValueError:
            continue
    return valid


@require_POST
@require_permission("voice.triage")
def flag_safeguarding(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The urgent route: flag the item as a safeguarding concern; the alert e-mail goes at once."""
    item = get_object_or_404(FeedbackItem.objects.visible_to(request.user), uuid=uuid)
    triage_services.flag_safeguarding(actor=request.user, item=item)
    messages.success(
        request,
        _("Item %(reference)s is flagged as a safeguarding concern and the safeguarding alert has been sent.")
        % {"reference": item.reference},
    )
    return redirect("voice:triage")
