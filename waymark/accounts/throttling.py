"""Sign-in limits that slow a password guesser down without locking the account's owner out.

Failed sign-ins are counted per username and client address. After ``LOGIN_FREE_FAILURES`` of them,
each further failure makes that address wait before trying that username again, twice as long as the
time before (from ``LOGIN_FIRST_DELAY_SECONDS`` up to ``LOGIN_MAX_DELAY_SECONDS``); a success clears the
count. The owner, signing in from anywhere else, never waits for a guesser. Failures per address, whatever
the username, are limited separately (``LOGIN_RATE``) against one address trying many accounts.
Everything is kept in the shared cache, so every server process sees the same counts.
"""

import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.core.cache import cache

# How long a username-and-address's failures are remembered after the last one.
FAILURE_MEMORY_SECONDS = 24 * 60 * 60

# The time now, in seconds; tests put a clock of their own here rather than wait.
clock: Callable[[], float] = time.time


def normalise_username(typed: str) -> str:
    """The username as the sign-in form hands it to the backend (spaces stripped, Unicode NFKC). The
    backend then looks it up exactly, case included, so the case is kept here too."""
    return UsernameField().to_python(typed) or ""


def normalise_email(typed: str) -> str:
    """An e-mail address as the password-reset form matches accounts: spaces stripped, case ignored."""
    return typed.strip().casefold()


def failure_key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{normalise_username(username)}\0{address}".encode()).hexdigest()
    return f"waymark:sign-in-failures:{digest}"


def seconds_to_wait(*, username: str, address: str) -> int:
    """How long this address must wait before it may try this username again (0: it may now)."""
    entry = cache.get(failure_key(username, address))
    if not entry:
        return 0
    return max(0, math.ceil(entry["not_before"] - clock()))


def record_failure(*, username: str, address: str) -> None:
    key = failure_key(username, address)
    failures = (cache.get(key) or {"failures": 0})["failures"] + 1
    delay = 0
    if failures > settings.LOGIN_FREE_FAILURES:
        doublings = failures - settings.LOGIN_FREE_FAILURES - 1
        delay = min(settings.LOGIN_FIRST_DELAY_SECONDS * 2 ** min(doublings, 32), settings.LOGIN_MAX_DELAY_SECONDS)
    cache.set(key, {"failures": failures, "not_before": clock() + delay}, FAILURE_MEMORY_SECONDS + delay)


def record_success(*, username: str, address: str) -> None:
    cache.delete(failure_key(username, address))
