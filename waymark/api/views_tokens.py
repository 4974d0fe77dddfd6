"""The user's own API tokens: list, create (secret shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waymark.accounts.models import ApiToken
from waymark.api import services
from waymark.api.forms import ApiTokenForm
from waymark.core import policy


def _require_permission(request: HttpRequest) -> None:
    if not policy.can(request.user, "api_token.manage_own"):
        raise PermissionDenied


def _breadcrumbs(*, below_list: bool) -> list[tuple[str, str]]:
    crumbs = [(_("Home"), reverse("core:home")), (_("Your account"), reverse("accounts:profile"))]
    if below_list:
        crumbs.append((_("Your API tokens"), reverse("api_tokens:list")))
    return crumbs


def _token_list_page(request: HttpRequest, form: ApiTokenForm) -> HttpResponse:
    context = {
        "tokens": ApiToken.objects.visible_to(request.user),
        "form": form,
        "breadcrumbs": _breadcrumbs(below_list=False),
    }
    return render(request, "api/token_list.html", context)


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    _require_permission(request)
    return _token_list_page(request, ApiTokenForm())


@login_required
@require_POST
@never_cache  # the page carries the secret: no browser or proxy may keep a copy
def token_create(request: HttpRequest) -> HttpResponse:
    _require_permission(request)
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _token_list_page(request, form)
    token, secret = services.create_api_token(actor=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    context = {"token": token, "secret": secret, "breadcrumbs": _breadcrumbs(below_list=True)}
    return render(request, "api/token_created.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes. Other people's tokens are not found."""
    _require_permission(request)
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        services.revoke_api_token(actor=request.user, token=token)  # type: ignore[arg-type]
        message = _("“%(name)s” is revoked. Programs using it can no longer reach the API.")
        messages.success(request, message % {"name": token.name})
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token, "breadcrumbs": _breadcrumbs(below_list=True)})
