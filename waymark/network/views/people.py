"""Staff and member pages for networks, contacts, memberships, terms of reference, task groups and
distribution lists. Permission at the door, rows from ``visible_to(user)``, writes through
``network.services.people``."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waymark.core import policy
from waymark.core.choices import JobStatus
from waymark.core.history import render_history
from waymark.core.lists import filtered_list_page, page_of
from waymark.core.models import Job
from waymark.core.permissions import require_permission
from waymark.core.text import render_markdown
from waymark.core.uploads import accepts_upload, kind_of_name
from waymark.core.views_forms import model_form_values, service_form_page
from waymark.core.views_jobs import job_page
from waymark.network import bulletin_mail, contact_import
from waymark.network.filtersets import ContactFilterSet, MembershipFilterSet
from waymark.network.forms_people import (
    ContactForm,
    ContactImportForm,
    DistributionListForm,
    MembershipChangeForm,
    MembershipForm,
    NetworkForm,
    TaskGroupForm,
    TermsOfReferenceForm,
)
from waymark.network.membership import describe_rule, lists_left, lists_reaching, recipients, terms_in_force
from waymark.network.models import Contact, DistributionList, Membership, Network, TaskGroup
from waymark.network.services import meetings as meeting_services
from waymark.network.services import people, subscriptions

PER_PAGE = 25
IMPORT_ROWS_PER_PAGE = 50


def home_crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Networks"), reverse("network:network_list"))]


def network_crumbs(network: Network) -> list[tuple[str, str]]:
    return [*home_crumbs(), (network.name, network.get_absolute_url())]


def contact_crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Contacts"), reverse("network:contact_list"))]


def get_network(request: HttpRequest, slug: str) -> Network:
    return get_object_or_404(Network.objects.visible_to(request.user).select_related("organisation"), slug=slug)


def form_page[Saved](
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], Saved],
    saved_message: str | Callable[[Saved], str],
    next_page: Callable[[Saved], Any],
    title: str,
    breadcrumbs: list,
    caption: str = "",
) -> HttpResponse:
    """The people and bulletin form page (error summary, h1, the fields, Save and Cancel) whose valid POST
    calls the service in ``save``; a form with errors answers 400."""
    context = {"title": title, "caption": caption, "breadcrumbs": breadcrumbs}
    return service_form_page(
        request,
        form,
        save=save,
        saved_message=saved_message,
        next_page=next_page,
        template="network/people/form.html",
        context=context,
    )


# --- Networks -----------------------------------------------------------------------------------


@require_permission("network.view")
def network_list(request: HttpRequest) -> HttpResponse:
    networks = (
        Network.objects.visible_to(request.user)
        .select_related("organisation")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left__isnull=True)))
        .order_by("name")
    )
    page = page_of(request, networks, PER_PAGE)
    context = {
        "page_obj": page,
        "networks": page.object_list,
        "can_manage": policy.can(request.user, "network.manage"),
        "can_see_contacts": policy.can(request.user, "contact.view"),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "network/people/network_list.html", context)


@require_permission("network.manage")
def network_create(request: HttpRequest) -> HttpResponse:
    form = NetworkForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: people.create_network(actor=request.user, data=model_form_values(form)),
        saved_message=_("Network added."),
        next_page=lambda network: network,
        title=_("Add a network"),
        breadcrumbs=home_crumbs(),
    )


@require_permission("network.view")
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    can_manage = policy.can(request.user, "network.manage", network)
    officers = (
        Membership.objects.current()
        .filter(network=network)
        .exclude(role="member")
        .select_related("contact")
        .order_by("role", "contact__name")
    )
    context = {
        "network": network,
        "description": render_markdown(network.description),
        "terms": terms_in_force(network),
        "officers": officers,
        "member_count": Membership.objects.current().filter(network=network).count(),
        "task_groups": TaskGroup.objects.visible_to(request.user)
        .filter(network=network)
        .annotate(member_count=Count("members")),
        "lists": network.distribution_lists.all() if can_manage else [],
        "can_manage": can_manage,
        "breadcrumbs": home_crumbs(),
    }
    return render(request, "network/people/network_detail.html", context)


@require_permission("network.manage")
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    form = NetworkForm(request.POST or None, instance=network)
    return form_page(
        request,
        form,
        save=lambda: people.update_network(actor=request.user, network=network, data=model_form_values(form)),
        saved_message=_("Network saved."),
        next_page=lambda saved: saved,
        title=_("Change the network"),
        breadcrumbs=network_crumbs(network),
    )


@require_permission("network.history")
def network_history(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    return render_history(request, network, breadcrumbs=network_crumbs(network))


# --- Memberships --------------------------------------------------------------------------------


@require_permission("network.manage")
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone who is or was a member, current members first; ``?past=1`` includes those who left."""
    network = get_network(request, slug)
    show_past = request.GET.get("past") == "1"
    memberships = (
        Membership.objects.filter(network=network)
        .visible_to(request.user)
        .select_related("contact__organisation", "contact__sector")
        .order_by("contact__name")
    )
    return filtered_list_page(
        request,
        MembershipFilterSet({} if show_past else {"current": True}, queryset=memberships, request=request),
        per_page=PER_PAGE,
        template="network/people/member_list.html",
        rows_template="network/people/_member_rows.html",
        rows_name="memberships",
        context={"network": network, "show_past": show_past, "breadcrumbs": network_crumbs(network)},
    )


@require_permission("network.manage")
def membership_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    form = MembershipForm(request.POST or None, network=network)
    return form_page(
        request,
        form,
        save=lambda: people.add_member(
            network=network,
            contact=form.cleaned_data["contact"],
            role=form.cleaned_data["role"],
            joined=form.cleaned_data["joined"],
            actor=request.user,
        ),
        saved_message=lambda membership: _("%(name)s is now a member.") % {"name": membership.contact.name},
        next_page=lambda membership: reverse("network:member_list", args=[network.slug]),
        title=_("Add a member"),
        caption=network.name,
        breadcrumbs=network_crumbs(network),
    )


@require_permission("network.manage")
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("network", "contact"), pk=pk
    )
    form = MembershipChangeForm(request.POST or None, instance=membership)
    return form_page(
        request,
        form,
        save=lambda: people.update_membership(actor=request.user, membership=membership, data=model_form_values(form)),
        saved_message=_("Membership saved."),
        next_page=lambda saved: reverse("network:member_list", args=[saved.network.slug]),
        title=_("Change %(name)s’s membership") % {"name": membership.contact.name},
        caption=membership.network.name,
        breadcrumbs=network_crumbs(membership.network),
    )


# --- Terms of reference -------------------------------------------------------------------------


@require_permission("network.view")
def terms_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version, newest first, so anyone can see what changed and when it was approved."""
    network = get_network(request, slug)
    versions = [
        (terms, render_markdown(terms.text))
        for terms in network.terms_of_reference.visible_to(request.user).order_by("-version")[:20]
    ]
    context = {
        "network": network,
        "versions": versions,
        "in_force": terms_in_force(network),
        "can_manage": policy.can(request.user, "network.manage", network),
        "breadcrumbs": network_crumbs(network),
    }
    return render(request, "network/people/terms_list.html", context)


@require_permission("network.manage")
def terms_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    latest = network.terms_of_reference.order_by("-version").first()
    form = TermsOfReferenceForm(request.POST or None, initial={"text": latest.text if latest else ""})
    return form_page(
        request,
        form,
        save=lambda: people.add_terms_of_reference(
            network=network,
            text=form.cleaned_data["text"],
            approved_on=form.cleaned_data["approved_on"],
            actor=request.user,
        ),
        saved_message=_("New version of the terms of reference saved."),
        next_page=lambda terms: reverse("network:terms_list", args=[network.slug]),
        title=_("New version of the terms of reference"),
        caption=network.name,
        breadcrumbs=network_crumbs(network),
    )


# --- Task groups --------------------------------------------------------------------------------


@require_permission("network.manage")
def task_group_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    form = TaskGroupForm(request.POST or None, network=network)
    return form_page(
        request,
        form,
        save=lambda: people.add_task_group(actor=request.user, network=network, data=model_form_values(form)),
        saved_message=_("Task group added."),
        next_page=lambda group: network,
        title=_("Add a task group"),
        caption=network.name,
        breadcrumbs=network_crumbs(network),
    )


@require_permission("network.manage")
def task_group_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    group = get_object_or_404(TaskGroup.objects.visible_to(request.user).select_related("network"), uuid=uuid)
    form = TaskGroupForm(request.POST or None, instance=group, network=group.network)
    return form_page(
        request,
        form,
        save=lambda: people.update_task_group(actor=request.user, group=group, data=model_form_values(form)),
        saved_message=_("Task group saved."),
        next_page=lambda saved: saved.network,
        title=_("Change %(name)s") % {"name": group.name},
        caption=group.network.name,
        breadcrumbs=network_crumbs(group.network),
    )


# --- Distribution lists -------------------------------------------------------------------------


@require_permission("network.manage")
def list_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_network(request, slug)
    form = DistributionListForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: people.create_distribution_list(actor=request.user, network=network, data=model_form_values(form)),
        saved_message=_("Distribution list added."),
        next_page=lambda distribution_list: distribution_list,
        title=_("Add a distribution list"),
        caption=network.name,
        breadcrumbs=network_crumbs(network),
    )


def _get_list(request: HttpRequest, uuid: Any) -> DistributionList:
    return get_object_or_404(DistributionList.objects.visible_to(request.user).select_related("network"), uuid=uuid)


@require_permission("network.manage")
def list_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Who the list reaches today, and whether each person may be e-mailed."""
    distribution_list = _get_list(request, uuid)

    reached = recipients(distribution_list)
    page = page_of(request, reached, PER_PAGE)
    context = {
        "distribution_list": distribution_list,
        "network": distribution_list.network,
        "rule": describe_rule(distribution_list),
        "counts": bulletin_mail.reach(distribution_list),
        "page_obj": page,
        "rows": [(contact, bulletin_mail.skip_reason(contact)) for contact in page.object_list],
        "opted_out_count": distribution_list.opted_out.count(),
        "breadcrumbs": network_crumbs(distribution_list.network),
    }
    return render(request, "network/people/list_detail.html", context)


@require_permission("network.manage")
def list_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    distribution_list = _get_list(request, uuid)
    form = DistributionListForm(request.POST or None, instance=distribution_list)
    return form_page(
        request,
        form,
        save=lambda: people.update_distribution_list(
            actor=request.user, distribution_list=distribution_list, data=model_form_values(form)
        ),
        saved_message=_("Distribution list saved."),
        next_page=lambda saved: saved,
        title=_("Change %(name)s") % {"name": distribution_list.name},
        caption=distribution_list.network.name,
        breadcrumbs=network_crumbs(distribution_list.network),
    )


# --- Contacts -----------------------------------------------------------------------------------


@require_permission("contact.view")
def contact_list(request: HttpRequest) -> HttpResponse:
    """Contacts filtered by the API's FilterSet; htmx gets the results alone."""
    contacts = Contact.objects.visible_to(request.user).select_related("organisation", "sector").order_by("name", "pk")
    return filtered_list_page(
        request,
        ContactFilterSet(request.GET or None, queryset=contacts, request=request),
        per_page=PER_PAGE,
        template="network/people/contact_list.html",
        rows_template="network/people/_contact_rows.html",
        rows_name="contacts",
        context={
            "can_change": policy.can(request.user, "contact.change"),
            "can_import": policy.can(request.user, "contact.import"),
            "breadcrumbs": [(_("Home"), reverse("core:home"))],
        },
    )


@require_permission("contact.change")
def contact_create(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: people.create_contact(actor=request.user, data=model_form_values(form)),
        saved_message=_("Contact added."),
        next_page=lambda contact: contact,
        title=_("Add a contact"),
        breadcrumbs=contact_crumbs(),
    )


def _get_contact(request: HttpRequest, uuid: Any) -> Contact:
    return get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("organisation", "sector", "preferred_language"),
        uuid=uuid,
    )


@require_permission("contact.view")
def contact_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    contact = _get_contact(request, uuid)
    memberships = contact.memberships.select_related("network").order_by("-joined")
    context = {
        "contact": contact,
        "interests": contact.interests.all(),
        "memberships": memberships,
        "lists": lists_reaching(contact),
        "lists_left": lists_left(contact),
        "can_change": policy.can(request.user, "contact.change", contact),
        "breadcrumbs": contact_crumbs(),
    }
    return render(request, "network/people/contact_detail.html", context)


@require_permission("contact.change")
def contact_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    contact = _get_contact(request, uuid)
    form = ContactForm(request.POST or None, instance=contact)
    return form_page(
        request,
        form,
        save=lambda: people.update_contact(actor=request.user, contact=contact, data=model_form_values(form)),
        saved_message=_("Contact saved."),
        next_page=lambda saved: saved,
        title=_("Change %(name)s") % {"name": contact.name},
        breadcrumbs=contact_crumbs(),
    )


@require_permission("contact.change")
@require_POST
def contact_links_withdraw(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Withdraw this person's calendar links or e-mail links (a leaked address, a forwarded e-mail, a lost
    phone); nobody else's change. ``links`` says which: ``calendar`` or ``email``."""
    contact = _get_contact(request, uuid)
    which = request.POST.get("links")
    if which == "calendar" and contact.user is not None:
        meeting_services.replace_feed_links(actor=request.user, user=contact.user)
        done = _("%(name)s’s calendar links no longer work. They can get a new one from the meetings page.")
    elif which == "email":
        subscriptions.withdraw_email_links(actor=request.user, contact=contact)
        done = _("The links in e-mails already sent to %(name)s no longer work. New e-mails carry new ones.")
    else:
        return HttpResponseBadRequest(_("Choose which links to withdraw."))
    messages.success(request, done % {"name": contact.name})
    return redirect(contact)


@require_permission("contact.change")
def contact_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    contact = _get_contact(request, uuid)
    return render_history(request, contact, breadcrumbs=[*contact_crumbs(), (contact.name, contact.get_absolute_url())])


@accepts_upload("contacts")
@require_permission("contact.import")
def contact_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet; a background job previews what it would change. Nothing is saved until confirmed."""
    form = ContactImportForm(request.POST or None, request.FILES or None)
    form.fields["network"].queryset = Network.objects.visible_to(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = contact_import.start_preview(
            actor=request.user,
            upload=upload,
            kind=kind_of_name(upload.name),
            network=form.cleaned_data["network"],
            blanks_clear=form.cleaned_data["blanks_clear"],
        )
        return redirect("network:contact_import_job", uuid=job.uuid)
    context = {"form": form, "breadcrumbs": contact_crumbs()}
    return render(request, "network/people/contact_import.html", context, status=400 if form.errors else 200)


@require_permission("contact.import")
@require_GET
def contact_import_job(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A preview to check and confirm (or its problems by row and column), or what the confirmed import saved.
    While the job runs, the progress block asks again every 2 seconds (htmx) and only it is sent back."""
    job = get_object_or_404(Job.objects.visible_to(request.user), uuid=uuid, name__in=contact_import.JOB_NAMES)
    result = job.result if isinstance(job.result, dict) else {}
    is_preview = job.name == contact_import.PREVIEW_JOB_NAME
    rows = sorted(
        [{**row, "is_new": True} for row in result.get("new", [])]
        + [{**row, "is_new": False} for row in result.get("changed", [])],
        key=lambda row: row["row"],
    )
    counts = result.get("counts", {})
    network_id = result.get("network_id")
    network = Network.objects.filter(pk=network_id).first() if network_id else None
    context = {
        "is_preview": is_preview,
        "result": result,
        "errors": result.get("errors", []),
        "unlisted_errors": max(0, result.get("error_total", 0) - len(result.get("errors", []))),
        "rows_page": page_of(request, rows, IMPORT_ROWS_PER_PAGE),
        "summary": [
            {"key": _("New contacts"), "value": counts.get("new", 0)},
            {"key": _("Contacts that change"), "value": counts.get("changed", 0)},
            {"key": _("Contacts left as they are"), "value": counts.get("unchanged", 0)},
            {"key": _("Problems"), "value": result.get("error_total", 0)},
            {"key": _("Everyone joins"), "value": network.name if network else _("No network")},
            {
                "key": _("Blank cells"),
                "value": _("Clear the field") if result.get("blanks_clear") else _("Leave the field as it is"),
            },
        ],
    }
    return job_page(
        request,
        job,
        progress_template="network/people/_contact_import_progress.html",
        context=context,
        breadcrumbs=[*contact_crumbs(), (_("Import contacts"), reverse("network:contact_import"))],
        caption=_("Import contacts"),
        heading=_("Check what the import will change") if is_preview else _("Importing the contacts"),
        while_running=_("This page updates by itself while Waymark reads the file. You can leave it and come back."),
        wide=True,
    )


@require_permission("contact.import")
@require_POST
def contact_import_confirm(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Apply a preview exactly as it was shown, as a background job."""
    preview = get_object_or_404(
        Job.objects.visible_to(request.user),
        uuid=uuid,
        name=contact_import.PREVIEW_JOB_NAME,
        status=JobStatus.SUCCEEDED,
    )
    try:
        job = contact_import.start_confirm(actor=request.user, preview=preview)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect("network:contact_import_job", uuid=preview.uuid)
    return redirect("network:contact_import_job", uuid=job.uuid)
