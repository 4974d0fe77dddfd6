"""The address of the person making a request, when Waymark runs behind proxies or a load balancer."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Shared by every request whose address cannot be known (REMOTE_ADDR is empty behind a Unix socket when no
# proxy is trusted): such requests share one rate-limit bucket rather than fail.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder address, nothing listens on it


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the right-most
    X-Forwarded-For entry that no trusted proxy wrote. Entries further left are whatever the client sent,
    so trusting them would let anyone pick the address their requests are counted under.

    django-ratelimit (``RATELIMIT_IP_META_KEY``) uses this for every ``key="ip"``; the API's throttles
    choose the same entry through DRF's ``NUM_PROXIES``.
    """
    candidate = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        candidate = entries[-min(proxies, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return UNKNOWN_ADDRESS
