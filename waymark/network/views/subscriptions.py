"""The pages a contact reaches from an e-mail, without an account: RFC 8058 one-click unsubscribe and
managing their subscriptions. Both are authorised by a signed token in the address (``network.mailing``).

A link that has expired or been withdrawn gets a page that offers to e-mail a new manage link
(``request_manage_link``, rate-limited, with the same answer whether or not the address is known).

``unsubscribe`` is the one CSRF-exempt view: a mail provider's one-click POST carries no CSRF token,
and the signed per-recipient token is what authorises it. A GET only shows a confirmation page, since
link scanners and previews fetch every link in an e-mail.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from waymark.core import signed_links
from waymark.core.views import link_refused
from waymark.network import mailing, membership
from waymark.network.forms_people import ManageLinkRequestForm, SubscriptionsForm
from waymark.network.services import subscriptions


def _refused(request: HttpRequest, refusal: signed_links.LinkRefused, link_name: str) -> HttpResponse:
    return link_refused(
        request,
        refusal,
        link_name=link_name,
        advice=_("To choose which e-mails you get, or to stop them all, ask for a new link: we will e-mail it to you."),
        form=ManageLinkRequestForm(),
        form_action=reverse("network:request_manage_link"),
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contact, distribution_list = mailing.read_unsubscribe_token(token)
    except signed_links.LinkRefused as refusal:
        return _refused(request, refusal, _("unsubscribe link"))
    context = {
        "distribution_list": distribution_list,
        "manage_url": mailing.manage_link(contact),
        "done": False,
    }
    if request.method == "POST":
        subscriptions.unsubscribe(contact=contact, distribution_list=distribution_list)
        context["done"] = True
    response = render(request, "network/people/unsubscribe.html", context)
    response["Referrer-Policy"] = "same-origin"  # the token in the address must not reach other sites
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def manage_subscriptions(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contact = mailing.read_manage_token(token)
    except signed_links.LinkRefused as refusal:
        return _refused(request, refusal, _("link to manage your e-mails"))
    current = membership.lists_reaching(contact)
    choices = current + [item for item in membership.lists_left(contact) if item not in current]
    form = SubscriptionsForm(
        request.POST or None,
        choices=choices,
        initial={"lists": [item.pk for item in current], "stop_all": contact.unsubscribed},
    )
    if request.method == "POST" and form.is_valid():
        subscriptions.update_subscriptions(
            contact=contact, keep=form.cleaned_data["lists"], stop_all=form.cleaned_data["stop_all"]
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("network:manage_subscriptions", token=token)
    context = {"form": form, "contact_name": contact.name, "stopped": contact.unsubscribed}
    response = render(request, "network/people/manage_subscriptions.html", context)
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
@ratelimit(key="ip", rate=lambda group, request: settings.NETWORK_MANAGE_LINK_RATE, method="POST", block=True)
def request_manage_link(request: HttpRequest) -> HttpResponse:
    """Send a new manage link to the address typed, if it is a contact's; the answer never says which."""
    form = ManageLinkRequestForm(request.POST)
    if form.is_valid():
        subscriptions.send_manage_link(email=form.cleaned_data["email"])
        return render(request, "network/people/manage_link_sent.html", {"email": form.cleaned_data["email"]})
    return link_refused(
        request,
        signed_links.LinkRefused(),
        link_name=_("link to manage your e-mails"),
        advice=_("Type the address our e-mails reach you at, and we will send you a new link."),
        form=form,
        form_action=reverse("network:request_manage_link"),
        status=200,
    )
