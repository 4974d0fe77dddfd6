"""The accounts' personal data: a person's own account, found by e-mail, phone or the account itself."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from waymark.accounts.models import ApiToken, User
from waymark.core import personal_data
from waymark.core.audit import acting_as

USER_PERSONAL_FIELDS = ["username", "email", "full_name", "first_name", "last_name", "phone"]


def _erase_users(queryset: QuerySet, actor: Any) -> int:
    """Blank the account's personal fields, rename it ``erased-<id>``, lock it and revoke its API tokens.
    The row stays, so what the person did keeps its author's id."""
    blanks = personal_data.blank_values(User, USER_PERSONAL_FIELDS)
    erased_ids = []
    with acting_as(actor):
        for user in queryset:
            values = {**blanks, "username": f"erased-{user.pk}"}
            for name, value in values.items():
                setattr(user, name, value)
            user.set_unusable_password()
            user.is_active = False
            user._change_reason = personal_data.ERASURE_REASON  # type: ignore[attr-defined]
            user.save(update_fields=[*values, "password", "is_active"])
            personal_data.scrub_history(User, [user.pk], values)
            erased_ids.append(user.pk)
        for token in ApiToken.objects.filter(user_id__in=erased_ids, revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return len(erased_ids)


def register_personal_data() -> None:
    personal_data.register(
        personal_data.PersonalDataSource(
            key="accounts.user",
            label="User accounts",
            model="accounts.User",
            fields=USER_PERSONAL_FIELDS,
            match=personal_data.match_by("accounts.User", email_field="email", phone_field="phone", user_field="pk"),
            export=personal_data.export_values(*USER_PERSONAL_FIELDS, "date_joined", "last_login", "is_active"),
            erase=_erase_users,
        )
    )
