"""Creating and revoking personal API tokens: the one write path for pages, tests and commands."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from waymark.accounts.models import ApiToken, User, hash_token
from waymark.core import policy
from waymark.core.audit import acting_as

KEY_PREFIX_LENGTH = 12  # "wmk_" and eight characters: enough to tell tokens apart, useless to an attacker.


def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``actor``. The raw secret is returned here once and never stored."""
    if not policy.can(actor, "api_token.manage_own"):
        raise PermissionDenied("You may not create API tokens.")
    raw = ApiToken.new_secret()
    token = ApiToken(user=actor, name=name.strip(), key_prefix=raw[:KEY_PREFIX_LENGTH], key_hash=hash_token(raw))
    token.full_clean()
    with transaction.atomic(), acting_as(actor):
        token.save()
    return token, raw


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    """Revoke one of ``actor``'s own tokens. Revoking twice keeps the first revocation time."""
    if not policy.can(actor, "api_token.manage_own", token):
        raise PermissionDenied("You may revoke only your own API tokens.")
    if token.revoked_at is not None:
        return
    with transaction.atomic(), acting_as(actor):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
