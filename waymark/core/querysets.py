"""The queryset base every user-facing model uses, so lists obey the one policy."""

from typing import Any

from django.db import models


class VisibleQuerySet(models.QuerySet):
    """Adds ``visible_to(user)``: the rows this user may see, as decided in ``accounts.policy``."""

    def visible_to(self, user: Any) -> "VisibleQuerySet":
        from waymark.accounts import policy

        return policy.restrict(self, user)  # type: ignore[return-value]
