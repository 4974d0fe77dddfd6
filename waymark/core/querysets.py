"""The queryset base every user-facing model uses, so lists obey the one policy."""

from typing import Any, Self

from django.db import models

from waymark.core import policy


class VisibleQuerySet(models.QuerySet):
    """Adds ``visible_to(user)``: the rows this user may see, as decided in ``core.policy``."""

    def visible_to(self, user: Any) -> Self:
        return policy.restrict(self, user)  # type: ignore[return-value]
