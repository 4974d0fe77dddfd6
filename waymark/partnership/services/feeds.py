"""Writes for the consultation calendar's private feeds: withdrawing a user's subscription link."""

from typing import Any

from waymark.core import signed_links
from waymark.partnership.feeds import FEED_PURPOSE, feed_subject


def replace_feed_link(*, actor: Any, user: Any) -> None:
    """Withdraw every consultation feed link ``user`` has been given (shared by mistake, a lost phone); the
    next link shown to them works, and nobody else's changes."""
    signed_links.revoke_links(actor=actor, purpose=FEED_PURPOSE, subject=feed_subject(user))
