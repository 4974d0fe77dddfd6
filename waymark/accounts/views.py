"""Sign-in with throttling, the second factor, and the user's own account page."""

import base64
import math
from collections.abc import Callable
from functools import wraps
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from waymark.accounts import services, throttling
from waymark.accounts.forms import CodeForm, SignInForm
from waymark.accounts.models import RoleGrant
from waymark.core import policy
from waymark.core.email import DeliveryLoggedPasswordResetForm
from waymark.core.proxies import client_address


def _login_rate(group: str | None, request: HttpRequest) -> str:
    return settings.LOGIN_RATE


ADDRESS_GROUP = "waymark.accounts.sign-in-address"


class SignInView(auth_views.LoginView):
    """Throttled per username and address with a growing wait, and per address, in the shared cache
    (see waymark.accounts.throttling): guessing is slow on every server, and the owner is never locked out."""

    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.username = throttling.normalise_username(request.POST.get("username", ""))
        self.address = client_address(request)
        address_usage = get_usage(request, group=ADDRESS_GROUP, key="ip", rate=_login_rate, increment=False)
        wait = throttling.seconds_to_wait(username=self.username, address=self.address)
        if address_usage and address_usage["count"] >= address_usage["limit"]:  # the limit counts failures
            wait = max(wait, address_usage["time_left"], 1)
        if wait:
            return self._too_many_failures(wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        throttling.record_failure(username=self.username, address=self.address)
        get_usage(self.request, group=ADDRESS_GROUP, key="ip", rate=_login_rate, increment=True)
        return super().form_invalid(form)

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        throttling.record_success(username=self.username, address=self.address)
        return super().form_valid(form)

    def _too_many_failures(self, wait: int) -> HttpResponse:
        """The sign-in page again, with the username kept, a plain message and Retry-After. The password is
        not checked at all, so waiting cannot be skipped by guessing right."""
        form = self.form_class(self.request, initial={"username": self.username})
        form.cleaned_data = {}  # an unbound form, never cleaned: cleaning it would check the password
        minutes = math.ceil(wait / 60)
        form.add_error(
            None,
            ngettext(
                "Too many failed sign-ins for this username from here. Wait %(count)d minute and try again.",
                "Too many failed sign-ins for this username from here. Wait %(count)d minutes and try again.",
                minutes,
            )
            % {"count": minutes},
        )
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response


def _email_key(group: str, request: HttpRequest) -> str:
    return throttling.normalise_email(request.POST.get("email", ""))


@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=True), name="post")
@method_decorator(ratelimit(key=_email_key, rate="3/h", method="POST", block=True), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Rate-limited per address and per e-mail address (as the form matches accounts: case ignored), so the
    form cannot be used to flood someone's inbox."""

    form_class = DeliveryLoggedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "email/password_reset.txt"
    html_email_template_name = "email/password_reset.html"
    subject_template_name = "email/password_reset_subject.txt"


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """Stands in for the Django admin's own sign-in page, which has no rate limit and no second factor:
    everyone signs in through Waymark's throttled page, and comes back to where they were going."""
    if request.user.is_authenticated:
        # Signed in but not an administrator: sending them to sign in again would loop back here.
        raise PermissionDenied
    query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
    return redirect(f"{reverse('accounts:login')}?{query}")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def verified_once_enrolled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Once the user has paired an authenticator, only a session verified with it may change the second
    factor: otherwise a password alone could pair the attacker's phone or make recovery codes."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if services.has_authenticator(request.user) and not request.user.is_verified():  # type: ignore[arg-type,union-attr]
            back = request.get_full_path() if request.method == "GET" else reverse("accounts:profile")
            return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return wrapper


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
@require_http_methods(["GET", "POST"])
@verified_once_enrolled
@ratelimit(key="user", rate="10/5m", method="POST", block=True)
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: scan the code (or type the key), then enter a code it shows."""
    device = services.pending_authenticator(request.user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_authenticator(request=request, user=request.user, token=form.cleaned_data["code"])  # type: ignore[arg-type]
        if codes is not None:
            messages.success(request, _("Your authenticator app is set up."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _safe_next(request)})
        form.add_error("code", _("That code did not match. Check the time on your phone is right, and try again."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_data_uri": _qr_svg(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "next": request.GET.get("next", ""),
        "replacing": services.has_authenticator(request.user),  # type: ignore[arg-type]
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate="10/5m", method="POST", block=True)
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Enter a code from the app, or a recovery code, to finish signing in."""
    if not services.has_authenticator(request.user):  # type: ignore[arg-type]
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", _("That code did not match. Enter the code your app shows now, or a recovery code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_http_methods(["POST"])
@verified_once_enrolled
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    codes = services.regenerate_recovery_codes(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("New recovery codes made. The old ones no longer work."))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    grants = RoleGrant.objects.visible_to(request.user).filter(user=request.user.pk).select_related("organisation")
    context: dict[str, Any] = {
        "grants": grants,
        "needs_second_factor": policy.needs_second_factor(request.user),
        "has_authenticator": services.has_authenticator(request.user),  # type: ignore[arg-type]
        "can_use_api": policy.can(request.user, "api_token.manage_own"),
    }
    return render(request, "accounts/profile.html", context)
