"""The public open-data page: the awards as 360Giving JSON and spreadsheet, all of them or one programme's.

No account is needed: the package holds only what 360Giving publishes (see ``grants.open_data``), so the page and
its downloads are as open as the public grants pages. The files are the same package that
``manage.py export_360giving`` writes for publishers who script their monthly upload."""

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from waymark.core.lists import page_of
from waymark.core.spreadsheets import download
from waymark.grants import open_data
from waymark.grants.models import Programme
from waymark.grants.quality import CHECKS

PROGRAMMES_PER_PAGE = 25


def _programme(request: HttpRequest) -> Programme | None:
    """The programme named by ``?programme=<code>``, if any: only a published one."""
    code = request.GET.get("programme", "")
    if not code:
        return None
    return get_object_or_404(Programme.objects.filter(published=True), code=code)


def _filename(programme: Programme | None, extension: str) -> str:
    scope = programme.code if programme else "all"
    return f"360giving-{scope}-{timezone.localdate().isoformat()}.{extension}"


@require_safe
def open_data_page(request: HttpRequest) -> HttpResponse:
    """The programmes with published awards, each with its count and total, the same awards the files hold."""
    published = (
        open_data.published_awards()
        .order_by()
        .values("application__programme_id")
        .annotate(awards=Count("pk"), awarded=Sum("amount_awarded"))
    )
    programmes = (
        Programme.objects.filter(pk__in=published.values("application__programme_id"))
        .select_related("funder")
        .order_by("-opens_on", "title")
    )
    page = page_of(request, programmes, PROGRAMMES_PER_PAGE)
    totals = {
        row["application__programme_id"]: row
        for row in published.filter(application__programme_id__in=[p.pk for p in page.object_list])
    }
    for programme in page.object_list:
        programme.awards = totals[programme.pk]["awards"]  # type: ignore[attr-defined]
        programme.awarded = totals[programme.pk]["awarded"]  # type: ignore[attr-defined]
    return render(request, "grants/open_data/page.html", {"page": page, "checks": CHECKS})


@require_safe
def open_data_json(request: HttpRequest) -> StreamingHttpResponse:
    programme = _programme(request)
    response = StreamingHttpResponse(open_data.iter_json(programme=programme), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, "json")}"'
    return response


@require_safe
def open_data_xlsx(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    return download(open_data.xlsx_bytes(programme=programme), _filename(programme, "xlsx"))
