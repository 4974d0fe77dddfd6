"""The roles a user can be granted, and the sets of them the policy speaks of."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Network member")
    STAFF = "staff", _("Staff (community development worker)")
    RESPONDER = "responder", _("Responder (commissioner or provider)")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


# Roles whose accounts must use a second factor whenever DEBUG is off.
SECOND_FACTOR_ROLES = frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN})
EVERY_ROLE = frozenset(Role)
WORKING_ROLES = frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN})
SIGNED_IN = "signed_in"  # any authenticated user, whatever their grants
