"""The pages a contact reaches from an e-mail, without an account: RFC 8058 one-click unsubscribe and
managing their subscriptions. Both are authorised by a signed token in the address (``network.mailing``).

``unsubscribe`` is the one CSRF-exempt view: a mail provider's one-click POST carries no CSRF token,
and the signed per-recipient token is what authorises it. A GET only shows a confirmation page, since
link scanners and previews fetch every link in an e-mail.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from waymark.network import mailing, people
from waymark.network.forms_people import SubscriptionsForm


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "network/people/bad_link.html", status=404)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contact, distribution_list = mailing.read_unsubscribe_token(token)
    except mailing.BadToken:
        return _bad_link(request)
    context = {
        "distribution_list": distribution_list,
        "manage_url": mailing.manage_link(contact),
        "done": False,
    }
    if request.method == "POST":
        people.unsubscribe(contact=contact, distribution_list=distribution_list)
        context["done"] = True
    response = render(request, "network/people/unsubscribe.html", context)
    response["Referrer-Policy"] = "same-origin"  # the token in the address must not reach other sites
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def manage_subscriptions(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contact = mailing.read_manage_token(token)
    except mailing.BadToken:
        return _bad_link(request)
    current = people.lists_reaching(contact)
    choices = current + [item for item in people.lists_left(contact) if item not in current]
    form = SubscriptionsForm(
        request.POST or None,
        choices=choices,
        initial={"lists": [item.pk for item in current], "stop_all": contact.unsubscribed},
    )
    if request.method == "POST" and form.is_valid():
        people.update_subscriptions(
            contact=contact, keep=form.cleaned_data["lists"], stop_all=form.cleaned_data["stop_all"]
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("network:manage_subscriptions", token=token)
    context = {"form": form, "contact_name": contact.name, "stopped": contact.unsubscribed}
    response = render(request, "network/people/manage_subscriptions.html", context)
    response["Referrer-Policy"] = "same-origin"
    return response
