"""Model permissions for Django's admin site, decided by the one policy module."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from waymark.core import policy


class PolicyBackend(ModelBackend):
    """Administrators (by role grant) may use every model in the Django admin; nobody else may."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return user_obj.is_active and policy.can(user_obj, "django_admin.use")

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return user_obj.is_active and policy.can(user_obj, "django_admin.use")
