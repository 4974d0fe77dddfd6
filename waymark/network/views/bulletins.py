"""Bulletin pages: the archive (members, and the public for bulletins put in the public archive),
writing and sending (staff), and the recipient log of a sent bulletin, with the progress of the
background job that sends its e-mails."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from waymark.core import policy
from waymark.core.choices import JobStatus
from waymark.core.email import render_email
from waymark.core.lists import page_of, wants_partial
from waymark.core.permissions import check_permission, require_permission
from waymark.core.text import render_markdown
from waymark.core.views_forms import model_form_values
from waymark.network import bulletin_mail
from waymark.network.forms_people import BulletinForm
from waymark.network.models import Bulletin, BulletinRecipient, BulletinStatus, Network, SkipReason
from waymark.network.services import bulletins
from waymark.network.views.people import PER_PAGE, form_page, get_network, network_crumbs

SKIP_LABELS = dict(SkipReason.choices)


def _archive_crumbs(network: Network) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("%(network)s bulletins") % {"network": network.name}, reverse("network:bulletin_list", args=[network.slug])),
    ]


def bulletin_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The archive: sent bulletins this visitor may read (anyone: those in the public archive), and drafts for staff."""
    network = get_object_or_404(Network, slug=slug)
    shown = Bulletin.objects.visible_to(request.user).filter(network=network).select_related("distribution_list")
    page = page_of(request, shown.order_by("status", "-sent_at", "-created_at"), PER_PAGE)
    context = {
        "network": network,
        "page_obj": page,
        "bulletins": page.object_list,
        "can_write": policy.can(request.user, "bulletin.write"),
        "breadcrumbs": _network_crumbs_for(request, network),
    }
    return render(request, "network/people/bulletin_list.html", context)


def _network_crumbs_for(request: HttpRequest, network: Network) -> list[tuple[str, str]]:
    """Up to the network's page when this visitor may open it, else just home."""
    if Network.objects.visible_to(request.user).filter(pk=network.pk).exists():
        return network_crumbs(network)
    return [(_("Home"), reverse("core:home"))]


def _get_bulletin(request: HttpRequest, uuid: Any) -> Bulletin:
    return get_object_or_404(
        Bulletin.objects.visible_to(request.user).select_related("network", "distribution_list", "sent_by", "job"),
        uuid=uuid,
    )


def bulletin_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One bulletin as it was sent (anyone may read one in the public archive); staff also see who got it.

    While the job that sends its e-mails runs, the sending block asks again every 2 seconds (htmx) and
    only that block is sent back; the finished block has no trigger, so the polling stops."""
    bulletin = _get_bulletin(request, uuid)
    can_write = policy.can(request.user, "bulletin.write", bulletin)
    context: dict[str, Any] = {
        "bulletin": bulletin,
        "can_write": can_write,
        "skip_labels": SKIP_LABELS,
    }
    if can_write and bulletin.status == BulletinStatus.DRAFT:
        context["reach"] = bulletin_mail.reach(bulletin.distribution_list)
    if can_write and bulletin.status == BulletinStatus.SENT:
        job = bulletin.job
        sending = job is not None and not job.is_finished
        outcome = bulletin_mail.recorded_outcome(bulletin)
        context |= {
            "job": job,
            "sending": sending,
            "failed": job is not None and job.status == JobStatus.FAILED,
            "outcome": outcome,
            "skipped_reasons": _reasons(outcome.skipped),
        }
        if not sending:  # the log is shown once the job is done, not on every poll while it works
            log = BulletinRecipient.objects.visible_to(request.user).filter(bulletin=bulletin)
            log = log.select_related("contact", "delivery").order_by("contact__name", "pk")
            context["page_obj"] = page_of(request, log, PER_PAGE)
        if wants_partial(request):
            response = render(request, "network/people/_bulletin_sending.html", context)
            patch_vary_headers(response, ["HX-Request"])
            return response
    context |= {"body": render_markdown(bulletin.body), "breadcrumbs": _archive_crumbs(bulletin.network)}
    response = render(request, "network/people/bulletin_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _reasons(skipped: dict[str, int]) -> str:
    """ "1 no consent to be contacted, 2 unsubscribed": how many were skipped for each reason."""
    return ", ".join(f"{count} {str(SKIP_LABELS[reason]).lower()}" for reason, count in sorted(skipped.items()))


@require_permission("bulletin.write")
def bulletin_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    form = BulletinForm(request.POST or None, network=network)
    return form_page(
        request,
        form,
        save=lambda: bulletins.draft_bulletin(actor=request.user, network=network, data=model_form_values(form)),
        saved_message=_("Draft saved. Check it, then send it."),
        next_page=lambda bulletin: bulletin,
        title=_("Write a bulletin"),
        caption=network.name,
        breadcrumbs=_archive_crumbs(network),
    )


@require_permission("bulletin.write")
def bulletin_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    bulletin = _get_bulletin(request, uuid)
    if bulletin.status == BulletinStatus.SENT:
        messages.warning(request, _("A sent bulletin cannot be changed."))
        return redirect(bulletin)
    form = BulletinForm(request.POST or None, instance=bulletin, network=bulletin.network)
    return form_page(
        request,
        form,
        save=lambda: bulletins.update_draft_bulletin(
            actor=request.user, bulletin=bulletin, data=model_form_values(form)
        ),
        saved_message=_("Draft saved."),
        next_page=lambda saved: saved,
        title=_("Change the draft"),
        caption=bulletin.network.name,
        breadcrumbs=_archive_crumbs(bulletin.network),
    )


@require_http_methods(["GET", "POST"])
@require_permission("bulletin.write")
def bulletin_send(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Ask first, then send. The question shows the e-mail as people will get it, offers a test to oneself,
    and names how many it goes to; the POST carries that number, and if the list has changed since, the
    question is asked again with the new one rather than sending to people the sender did not count.

    Sending records who the bulletin goes to and queues the job that renders and sends the e-mails; the
    page the browser is sent back to follows that job. A bulletin whose job failed may be sent again."""
    bulletin = _get_bulletin(request, uuid)
    check_permission(request, "bulletin.write", bulletin)
    if bulletin.status == BulletinStatus.DRAFT:
        reach = bulletin_mail.reach(bulletin.distribution_list)
        confirmed = request.POST.get("recipients")
        if request.method == "GET" or confirmed != str(reach.sent):
            if confirmed is not None:
                messages.warning(request, _("The number of people it goes to has changed. Check it and send again."))
            return _confirm_page(request, bulletin, reach)
    elif request.method == "GET":
        return redirect(bulletin)
    try:
        result = bulletins.send_bulletin(bulletin=bulletin, actor=request.user)
    except bulletins.AlreadySent:
        messages.warning(request, _("This bulletin was already sent; it was not sent again."))
        return redirect(bulletin)
    job = result.job
    if job is not None:
        job.refresh_from_db()  # a worker (or, in tests, the immediate backend) may have finished it already
    if job is not None and job.status == JobStatus.SUCCEEDED:
        result = bulletin_mail.recorded_outcome(bulletin)
        text = ngettext("Sent to %(sent)d person.", "Sent to %(sent)d people.", result.sent) % {"sent": result.sent}
    else:
        text = ngettext("Sending to %(sent)d person.", "Sending to %(sent)d people.", result.sent) % {
            "sent": result.sent
        }
    if result.skipped_total:
        text += " " + _("Skipped %(skipped)d: %(reasons)s.") % {
            "skipped": result.skipped_total,
            "reasons": _reasons(result.skipped),
        }
    messages.success(request, text)
    return redirect(bulletin)


def _confirm_page(request: HttpRequest, bulletin: Bulletin, reach: bulletin_mail.SendResult) -> HttpResponse:
    """The e-mail as rendered for the signed-in sender, the test-send button and the counted question.
    The HTML e-mail is not framed here: the page's CSP would strip its inline styles."""
    name = getattr(request.user, "full_name", "") or request.user.get_username()
    subject, text_body, _html_body = render_email(
        bulletin_mail.BULLETIN_TEMPLATE, bulletin_mail.preview_context(bulletin, name=name)
    )
    context = {
        "bulletin": bulletin,
        "reach": reach,
        "skipped_reasons": _reasons(reach.skipped),
        "subject": subject,
        "text_body": text_body,
        "body": render_markdown(bulletin.body),
        "breadcrumbs": [*_archive_crumbs(bulletin.network), (bulletin.subject, bulletin.get_absolute_url())],
    }
    return render(request, "network/people/bulletin_send.html", context)


@require_POST
@require_permission("bulletin.write")
def bulletin_send_test(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One copy of the draft to the sender's own address, then back to the question."""
    bulletin = _get_bulletin(request, uuid)
    check_permission(request, "bulletin.write", bulletin)
    try:
        delivery = bulletins.send_test_bulletin(bulletin=bulletin, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("A test was sent to %(address)s.") % {"address": delivery.to_address})
    if bulletin.status == BulletinStatus.DRAFT:
        return redirect("network:bulletin_send", uuid=bulletin.uuid)
    return redirect(bulletin)
