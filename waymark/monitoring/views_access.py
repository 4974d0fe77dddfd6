"""Administrators record which commissioners may see which providers' unsuppressed figures, and why."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.monitoring.forms import ProviderAccessForm
from waymark.monitoring.models import ProviderDataAccess
from waymark.monitoring.services import access

PER_PAGE = 25


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Ethnic monitoring"), reverse("monitoring:index"))]


@require_permission("monitoring.manage_access")
def access_list(request: HttpRequest) -> HttpResponse:
    """Every data-sharing agreement, in force or ended."""
    rows = ProviderDataAccess.objects.visible_to(request.user).select_related("provider", "commissioner", "granted_by")
    page = page_of(request, rows, PER_PAGE)
    return render(
        request,
        "monitoring/access_list.html",
        {"page_obj": page, "grants": page.object_list, "breadcrumbs": _crumbs()},
    )


@require_permission("monitoring.manage_access")
def access_create(request: HttpRequest) -> HttpResponse:
    form = ProviderAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant = access.grant_provider_access(actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Analysts of %(commissioner)s can now see %(provider)s's figures.")
            % {"commissioner": grant.commissioner, "provider": grant.provider},
        )
        return redirect("monitoring:access_list")
    crumbs = [*_crumbs(), (_("Data-sharing access"), reverse("monitoring:access_list"))]
    return render(request, "monitoring/access_form.html", {"form": form, "breadcrumbs": crumbs})


@require_permission("monitoring.manage_access")
@require_POST
def access_end(request: HttpRequest, uuid: str) -> HttpResponse:
    grant = get_object_or_404(ProviderDataAccess.objects.visible_to(request.user), uuid=uuid)
    access.end_provider_access(actor=request.user, access=grant)
    messages.success(request, _("Access ended. The record of the agreement is kept."))
    return redirect("monitoring:access_list")
