"""Rate limits for the API, counted in the shared cache so every server process sees the same totals."""

from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.throttling import UserRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module while it loads its settings
    from rest_framework.views import APIView


class SignedInRateThrottle(UserRateThrottle):
    """The "user" rate for signed-in requests only.

    DRF's UserRateThrottle also counts anonymous requests by address, which AnonRateThrottle
    already does: skipping them halves the cache reads and writes of every public request.
    """

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
