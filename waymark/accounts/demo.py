"""The demo borough's people: one made-up account for each working role, granted on Riverside's own records.

A newcomer signs in as each of them to see Waymark as the people it is for: a community development worker
at a community organisation, an analyst for a trust with monitoring figures (the full, unsuppressed
dashboard), a responder for the organisation with the most escalations awaiting its answer, and a member of
the demo network. The hook runs after every other app's (``core.demo.demo_hooks``) and reads what they
saved, not ``context``, so ``manage.py ensure_demo_accounts`` can add the same people to a borough loaded
before they existed.

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
from django.db.models import Count
from django.urls import reverse

from waymark.accounts import services
from waymark.accounts.choices import Role
from waymark.core.choices import OrganisationType
from waymark.core.demo_data.organisations import ORGANISATIONS
from waymark.core.models import Organisation

logger = logging.getLogger(__name__)

CREDENTIALS_FILE_NAME = "demo-accounts.txt"
# Core's demo organisation the community development worker works at: a charity with paid staff.
COMMUNITY_ORGANISATION_KEY = "bangladeshi_carers"
DEMO_NETWORK_SLUG = "riverside-mental-health-network"


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


def _community_organisation() -> Organisation | None:
    name = next(spec["name"] for spec in ORGANISATIONS if spec["key"] == COMMUNITY_ORGANISATION_KEY)
    community_types = [OrganisationType.CHARITY, OrganisationType.COMMUNITY_GROUP]
    return (
        Organisation.objects.filter(name=name).first()
        or Organisation.objects.filter(org_type__in=community_types, active=True).order_by("name").first()
    )


def _monitored_trust() -> Organisation | None:
    """The first trust with activity figures, in the order the monitoring demo imports them (by ODS code)."""
    from waymark.monitoring.dashboards import providers_with_figures

    return providers_with_figures().filter(org_type=OrganisationType.NHS_TRUST).order_by("ods_code").first()


def _busiest_responder() -> Organisation | None:
    """The organisation with the most escalations awaiting its answer (by name on a tie)."""
    from waymark.voice.models import Escalation, EscalationStatus

    busiest = (
        Escalation.objects.filter(status=EscalationStatus.AWAITING)
        .values("responder")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting", "responder__name")
        .first()
    )
    return Organisation.objects.get(pk=busiest["responder"]) if busiest else None


def _demo_network() -> Any:
    from waymark.network.models import Network

    return Network.objects.filter(slug=DEMO_NETWORK_SLUG).first() or Network.objects.order_by("pk").first()


def choose_personas() -> list[Persona]:
    """The demo people, each granted on a record the other apps' hooks made. Anyone whose record is missing
    (a borough loaded without that app's data) is left out rather than granted on something empty."""
    site = settings.SITE_URL
    personas = []
    if organisation := _community_organisation():
        url = reverse("voice:triage")
        personas.append(
            Persona(
                "demo-worker",
                "Cass Example",
                Role.STAFF,
                organisation,
                f"the staff pages: feedback to triage, issues to escalate, network contacts, at {site}{url}",
            )
        )
    if trust := _monitored_trust():
        url = reverse("monitoring:provider_dashboard", args=[trust.uuid])
        personas.append(
            Persona(
                "demo-analyst",
                "Ana Example",
                Role.ANALYST,
                trust,
                f"the trust's monitoring dashboard without disclosure control, at {site}{url}",
            )
        )
    if responder := _busiest_responder():
        url = reverse("voice:responder_list")
        personas.append(
            Persona(
                "demo-responder",
                "Rory Example",
                Role.RESPONDER,
                responder,
                f"the escalations waiting for this organisation's answer, at {site}{url}",
            )
        )
    if network := _demo_network():
        personas.append(
            Persona(
                "demo-member",
                "Nell Example",
                Role.MEMBER,
                network.organisation,
                f"the network's pages, meetings and bulletins, at {site}{network.get_absolute_url()}",
                where=f"{network.name} (run by {network.organisation.name})",
            )
        )
    return personas


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
