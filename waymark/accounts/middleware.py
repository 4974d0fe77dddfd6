"""Second-factor enforcement for staff-level accounts."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from waymark.core import policy

# Paths a signed-in but unverified user may always reach. The one second-factor page they need is added per
# request: the code page once an authenticator is paired, the set-up page only before then, so a password
# alone can never pair a new authenticator or make recovery codes.
ALWAYS_ALLOWED_PREFIXES = ("/static/", "/healthz", "/account/logout/")


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

            target = reverse("accounts:two_factor_verify" if has_authenticator(user) else "accounts:two_factor_setup")
            if request.path != target:
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)
