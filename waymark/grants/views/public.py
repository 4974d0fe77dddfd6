"""The public grants pages: the programmes open to applications. No account needed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from waymark.grants.models import Programme


@require_safe
def public_programme_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    programmes = list(Programme.objects.filter(published=True).select_related("funder").order_by("closes_on", "title"))
    return render(
        request,
        "grants/public/programme_list.html",
        {
            "open_now": [p for p in programmes if p.opens_on <= today <= p.closes_on],
            "coming": [p for p in programmes if p.opens_on > today],
            "closed": [p for p in programmes if p.closes_on < today][:20],
        },
    )
