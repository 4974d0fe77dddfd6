"""The PCREF evidence pack download: one ZIP of a PDF summary and the CSV and XLSX files, made from live
data when it is asked for, and written in the export log."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.choices import ExportKind
from waymark.core.export_log import record_export
from waymark.core.pdf import render_pdf
from waymark.core.permissions import check_permission, require_permission
from waymark.plans.choices import PlanType
from waymark.plans.evidence_pack import build_pack, pack_filename, write_zip
from waymark.plans.models import Plan


@require_safe
@require_permission("plan.evidence_pack")
def evidence_pack(request: HttpRequest, uuid: str) -> HttpResponse:
    """Staff and administrators for any PCREF plan they see; a responder for their own organisation's."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("owner", "template"), uuid=uuid)
    check_permission(request, "plan.evidence_pack", plan)
    if plan.plan_type != PlanType.PCREF:
        raise Http404
    pack = build_pack(plan)
    header = pack.file_header(_("PCREF evidence pack: %(plan)s") % {"plan": plan.title})
    pdf = render_pdf("plans/evidence_pack/summary_pdf.html", {"pack": pack, "plan": plan}, header=header)
    content = write_zip(pack, pdf)
    record_export(
        actor=request.user,
        kind=ExportKind.PLAN_EVIDENCE_PACK,
        description=f"PCREF evidence pack: {plan.title}",
        rows=pack.rows,
        filters={"plan": str(plan.uuid)},
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack_filename(pack)}.zip"'
    return response
