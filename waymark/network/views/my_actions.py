"""My network actions: the actions from meetings of every network the user owns, overdue first; ``?overdue=1``
is the home page's count (``network.today``), so the count and the list come from one queryset function."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.network import today
from waymark.network.models import Action

ACTIONS_PER_PAGE = 25


@require_permission("meeting.view")
def my_actions(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # signed in: the decorator sees to it
    mine = Action.objects.visible_to(user).filter(owner__user_id=user.pk)
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        mine = today.overdue_mine(mine, user)
    rows = mine.select_related("owner", "meeting__network").order_by("status", "due_date", "pk")
    page = page_of(request, rows, ACTIONS_PER_PAGE)
    context = {
        "page_obj": page,
        "actions": page.object_list,
        "overdue_only": overdue_only,
        "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Networks"), reverse("network:network_list"))],
    }
    return render(request, "network/meetings/my_actions.html", context)
