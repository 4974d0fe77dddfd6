"""Users, their role grants per organisation, and their API tokens."""

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.core.roles import Role


class User(AbstractUser):
    """A person who signs in. The role grants, not Django's is_staff flag, decide what they may do."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    history = audit_history(excluded_fields=["password", "last_login"])

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.get_username()


class RoleGrantQuerySet(VisibleQuerySet):
    def current(self, on: date | None = None) -> "RoleGrantQuerySet":
        """Grants in force on a day (today by default): started, and not yet ended."""
        day = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class RoleGrant(models.Model):
    """A role given to a user for an organisation, from one date to another (open-ended if no end)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grants",
        help_text=_("Leave empty for a grant that covers the whole borough (administrators)."),
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleGrantQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["user", "role"]
        indexes = [models.Index(fields=["user", "starts_on"])]

    def __str__(self) -> str:
        where = f" for {self.organisation}" if self.organisation_id else ""
        return f"{self.get_role_display()}{where}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
        if self.role != Role.ADMIN and not self.organisation_id:
            raise ValidationError({"organisation": _("Choose the organisation this role is for.")})


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(VisibleQuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the secret is shown once, when created."""

    PREFIX = "wmk_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, for example 'Power BI'."))
    key_prefix = models.CharField(max_length=12, help_text=_("The first characters, to tell tokens apart."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    # Creation and revocation are audited; use is not (last_used_at changes with every call).
    history = audit_history(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
