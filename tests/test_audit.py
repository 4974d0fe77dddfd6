"""Every create, update and delete of a domain record is kept in its history, with who made it and when."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.network.factories_events import EventFactory, TicketTypeFactory, WorkshopFactory
from waymark.network.models import BookingStatus
from waymark.network.services import events as services_events

# Models that keep no history of their own, and why that loses nothing.
REFERENCE_DATA = "reference data loaded by migrations or from published files, never edited in Waymark"
LOG = "an append-only log: each row already says what happened and when"
RUN_STATE = "the state of background work, not a record anyone edits"
WRITTEN_ONCE = "written once by the person answering and never changed; erasure removes it"
BATCH_ROWS = "counts written and removed only with their import batch, which records who loaded them and when"
RELEASE_ROWS = "England's published figures, written and removed only with their release, which keeps history"
WITHOUT_HISTORY = {
    "core.Postcode": REFERENCE_DATA,
    "core.EthnicCodeSet": REFERENCE_DATA,
    "core.EthnicGroup": REFERENCE_DATA,
    "core.Job": RUN_STATE,
    "core.ScheduledJob": RUN_STATE,
    "core.EmailDelivery": LOG,
    "core.ExportLog": LOG,
    "monitoring.ImportBatch": "the import's own record: who uploaded which file, when, and what became of it",
    "monitoring.PopulationFigure": BATCH_ROWS,
    "monitoring.ActivityCount": BATCH_ROWS,
    "monitoring.PeopleCount": BATCH_ROWS,
    "monitoring.DataQualityFigure": BATCH_ROWS,
    "monitoring.NationalFigure": RELEASE_ROWS,
    "network.BulletinRecipient": LOG,
    "network.MinutesComment": WRITTEN_ONCE,
    "network.SurveyResponse": WRITTEN_ONCE,
    "network.Answer": WRITTEN_ONCE,
    "voice.EscalationReminder": LOG,
    "plans.ActionReminder": LOG,
    "plans.PlanTemplate": "national frameworks shipped as data; their versions are the migrations that load them",
    "plans.TemplateItem": "national frameworks shipped as data; their versions are the migrations that load them",
    "directory.FeedRun": LOG,
    "directory.FeedRecord": "a feed's bookkeeping, rewritten by every read; the services it writes keep their history",
    "directory.PossibleDuplicate": "a suggestion, decided once; the row names who decided and when",
}


def _domain_models():
    """Every concrete model of the Waymark apps, leaving out history tables and many-to-many join tables."""
    for model in apps.get_models():
        if not model.__module__.startswith("waymark.") or model._meta.auto_created:
            continue
        if hasattr(model, "instance_type"):  # a historical model, the history of another
            continue
        yield model


def _has_history(model):
    try:
        get_history_model_for_model(model)
    except NotHistoricalModelError:
        return False
    return True


def test_every_domain_model_keeps_its_history_or_says_why_not():
    missing = [model._meta.label for model in _domain_models() if not _has_history(model)]

    assert sorted(set(missing) - WITHOUT_HISTORY.keys()) == []
    # The list stays short and true: no exemption for a model that now keeps history or no longer exists.
    assert sorted(WITHOUT_HISTORY.keys() - set(missing)) == []


def _manager_updates(tree: ast.AST):
    """(model name, fields set, line) for each ``Model.objects….update(…)`` or ``Model._default_manager….update(…)``."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"):
            continue
        receiver = node.func.value
        while isinstance(receiver, ast.Call | ast.Attribute):
            receiver = receiver.func if isinstance(receiver, ast.Call) else receiver.value
            if (
                isinstance(receiver, ast.Attribute)
                and receiver.attr in {"objects", "_default_manager"}
                and isinstance(receiver.value, ast.Name)
            ):
                yield receiver.value.id, {keyword.arg for keyword in node.keywords}, node.lineno
                break


def test_no_audited_model_is_changed_with_a_queryset_update():
    """``QuerySet.update()`` writes no history: an audited record changes through ``save`` or simple-history's
    bulk helpers, so who changed it and when is never lost. Fields the history leaves out on purpose (an API
    token's last use) may be bumped in place."""
    unaudited = {model.__name__ for model in _domain_models() if not _has_history(model)}
    not_kept = {
        model.__name__: set(get_history_model_for_model(model)._history_excluded_fields)
        for model in _domain_models()
        if _has_history(model) and model.__name__ not in unaudited
    }
    package = Path(__file__).resolve().parent.parent / "waymark"
    found = []
    for path in package.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for name, fields, line in _manager_updates(ast.parse(path.read_text(encoding="utf-8"))):
            if name in not_kept and not fields <= not_kept[name]:
                found.append(f"{path.relative_to(package)}:{line} {name}")

    assert found == []


@pytest.mark.django_db
def test_a_change_made_through_a_page_is_recorded_with_the_user_who_made_it(client):
    event = EventFactory()
    workshop = WorkshopFactory(event=event)
    tickets = TicketTypeFactory(event=event)
    registration = services_events.register(
        event=event, ticket_type=tickets, name="Ama", email="ama@example.org", workshops=[workshop]
    )
    staff = make_persona(Role.STAFF)
    verified_login(client, staff)

    client.post(reverse("network:event_registration_cancel", args=[registration.uuid]))

    booking = registration.bookings.get()
    assert booking.status == BookingStatus.CANCELLED
    latest = booking.history.latest()
    assert (latest.history_type, latest.status, latest.history_user) == ("~", BookingStatus.CANCELLED, staff)
    assert latest.history_date is not None
    assert booking.history.earliest().history_type == "+"
