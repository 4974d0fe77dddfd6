"""Second-factor enforcement for staff-level accounts."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from waymark.accounts import policy

# Paths a signed-in but unverified user may still reach: the 2FA pages themselves and sign-out.
ALWAYS_ALLOWED_PREFIXES = ("/static/", "/healthz", "/account/logout/", "/account/two-factor/")


class SecondFactorMiddleware:
    """Sends staff, responders, analysts and admins to set up or enter their second factor before anything else.

    Runs after django-otp's OTPMiddleware, which sets ``request.user.is_verified()``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.SECOND_FACTOR_REQUIRED
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")  # the API answers 401/403 itself
            and policy.needs_second_factor(user)
        ):
            from waymark.accounts.services import has_authenticator

            target = "accounts:two_factor_verify" if has_authenticator(user) else "accounts:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
