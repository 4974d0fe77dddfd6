"""The demo borough's people: one made-up account for each working role, granted on Riverside's own records.

A newcomer signs in as each of them to see Waymark as the people it is for: a community development worker
at a community organisation, an analyst for a trust with monitoring figures (the full, unsuppressed
dashboard), a responder for the organisation with the most escalations awaiting its answer, and a member of
the demo network. Each app names the people its pages are for: its ``demo`` module may define
``personas() -> list[Persona]``, each granted on a record that app's hook saved (found by
``core.demo.demo_modules``). This hook runs after every other app's (``core.demo.demo_hooks``) and reads
what they saved, not ``context``, so ``manage.py ensure_demo_accounts`` can add the same people to a
borough loaded before they existed.

Each account has its own random password, written only to ``var/demo-accounts.txt`` (mode 0600): never to
the job's result, the log or the repository. Nothing is made under WAYMARK_ENV=production. Signing in
needs no second factor only because ``make run`` sets DEBUG=true; the production rule is unchanged.
"""

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from waymark.accounts import services
from waymark.core.demo import demo_modules
from waymark.core.models import Organisation
from waymark.core.roles import Role

logger = logging.getLogger(__name__)

CREDENTIALS_FILE_NAME = "demo-accounts.txt"
# The order the demo people are made and listed in: the roles a newcomer is most likely to want first.
WORKING_ROLES = [Role.STAFF, Role.ANALYST, Role.RESPONDER, Role.MEMBER]


@dataclass(frozen=True)
class Persona:
    """One demo account to make: who they are, their one grant, and what signing in as them shows."""

    username: str
    full_name: str
    role: str
    organisation: Organisation
    shows: str
    where: str = ""  # what to name beside the role, if not the organisation (a member's network)


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / CREDENTIALS_FILE_NAME


def choose_personas() -> list[Persona]:
    """The demo people every app's ``demo.personas()`` names, in the order of ``WORKING_ROLES``. An app leaves
    out anyone whose record is missing (a borough loaded without its data) rather than grant on something empty."""
    found = [
        persona
        for _config, module in demo_modules()
        if callable(personas := getattr(module, "personas", None))
        for persona in personas()
    ]
    return sorted(found, key=lambda persona: WORKING_ROLES.index(persona.role))


def read_credentials(path: Path) -> dict[str, str]:
    """{username: password} from an earlier credentials file (empty if there is none)."""
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    username = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.strip().partition(": ")
        if key == "username":
            username = value
        elif key == "password" and username:
            found[username] = value
    return found


def write_credentials(path: Path, accounts: list[tuple[Persona, str]]) -> None:
    """Write the sign-in details, readable by the owner only from the first byte (no chmod after the fact)."""
    lines = [
        "Waymark demo accounts: made-up people of the demo borough Riverside, one for each working role.",
        f"Sign in at {settings.SITE_URL}{reverse('accounts:login')}. Each password is random and kept only here.",
        "",
    ]
    for persona, password in accounts:
        lines += [
            f"{persona.full_name}: {Role(persona.role).label}, {persona.where or persona.organisation.name}",
            f"  username: {persona.username}",
            f"  password: {password}",
            f"  sees: {persona.shows}",
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    partial.chmod(0o600)  # whatever the umask
    partial.replace(path)


def ensure_personas(*, actor: Any) -> list[str]:
    """Make the demo people that are missing and list them all in the credentials file. Returns their
    usernames. A second run changes nothing: existing accounts and the file are left as they are."""
    if settings.PRODUCTION:
        logger.info("No demo accounts under WAYMARK_ENV=production.")
        return []
    path = credentials_path()
    known = read_credentials(path)
    accounts: list[tuple[Persona, str]] = []
    new = False
    for persona in choose_personas():
        _user, password = services.ensure_demo_account(
            actor=actor,
            username=persona.username,
            full_name=persona.full_name,
            role=persona.role,
            organisation=persona.organisation,
        )
        new = new or password is not None
        if password or persona.username in known:
            accounts.append((persona, password or known[persona.username]))
    if new:
        # Written before the hook's transaction commits: if it rolls back, the next run makes the accounts
        # again with new passwords and rewrites the file, so it never ends up lacking one that exists.
        write_credentials(path, accounts)
    return [persona.username for persona, _password in accounts]


def seed(
    *,
    rng: Any,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """Accounts' demo hook: the demo people, last of all (``rng`` is unused: passwords must not follow the seed)."""
    progress(0, 1, "Adding a demo account for each role")
    usernames = ensure_personas(actor=actor)
    progress(1, 1, "Demo accounts are ready" if usernames else "No demo accounts")
    # Usernames and where the passwords are; never the passwords themselves (the job's result is stored).
    return {"personas": usernames, "credentials_file": str(credentials_path()) if usernames else ""}


def announce(summary: dict[str, Any] | None) -> str:
    """What ``seed_demo`` says about the demo people: ``summary`` is this hook's, or None when the job was queued."""
    if summary is None:
        if settings.PRODUCTION:
            return ""
        return f"Demo accounts for each role come with it: usernames and passwords in {credentials_path()}"
    if usernames := summary.get("personas"):
        return f"Demo accounts {', '.join(usernames)}: usernames and passwords in {credentials_path()}"
    return ""
