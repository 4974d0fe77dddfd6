"""Personal API tokens: ``Authorization: Bearer wmk_…`` (or ``Token wmk_…``)."""

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from waymark.accounts.models import ApiToken, User, hash_token

KEYWORDS = {b"bearer", b"token"}
# Record use at most once a minute: a write on every request would cost more than the read it serves.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """Signs the request in as the token's owner, with exactly that person's permissions."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as 'Authorization: Bearer wmk_…', with no spaces in it."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("This API token is not valid.")) from None
        if not raw.startswith(ApiToken.PREFIX):
            raise AuthenticationFailed(_("This API token is not valid."))
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None or token.revoked_at is not None:
            raise AuthenticationFailed(_("This API token is not valid or has been revoked."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("The account this API token belongs to is disabled."))
        self._record_use(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to requests without credentials.
        return 'Bearer realm="api"'

    @staticmethod
    def _record_use(token: ApiToken) -> None:
        now = timezone.now()
        stale_before = now - LAST_USED_RESOLUTION
        if token.last_used_at is not None and token.last_used_at >= stale_before:
            return
        # The conditional filter keeps concurrent requests from writing the same minute twice.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale_before)
        ).update(last_used_at=now)
        token.last_used_at = now


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme as HTTP bearer authentication in the OpenAPI schema."""

    target_class = "waymark.api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (wmk_…), created on the account's API tokens page.",
        }
