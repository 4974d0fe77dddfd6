"""Accounts' part of the policy: where a user's roles come from."""

from typing import Any

from waymark.core import policy
from waymark.core.policy import Grant
from waymark.core.roles import Role


def current_grants(user: Any) -> list[Grant]:
    """The role grants in force today (start date reached, end date not passed); a superuser is an administrator."""
    from waymark.accounts.models import RoleGrant

    grants: list[Grant] = list(RoleGrant.objects.filter(user=user).current().values_list("role", "organisation_id"))
    if user.is_superuser:
        grants.append((Role.ADMIN, None))
    return grants


def register() -> None:
    policy.register_grant_source(current_grants)
