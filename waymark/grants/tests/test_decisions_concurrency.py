"""The budget holds when many grants officers award at the same moment.

Real transactions (``transaction=True``) and one database connection per thread, released together by a
barrier, so the decisions truly overlap in the database (as in network's event-capacity test). Twenty-four
awards of £1,500 against a £20,000 budget: exactly thirteen fit, and the other eleven are refused naming
what remains.

On SQLite the threads work on a database file, as Waymark does in production (WAL, IMMEDIATE transactions,
a busy timeout): pytest-django's in-memory database uses shared-cache table locks, which fail at once
instead of waiting their turn as a file does.

The second test removes the programme's row lock and holds every thread at a barrier just after it has read
the committed total, so each one reads £0 committed and the race is certain, not a matter of timing: the
programme is over-committed. It runs on PostgreSQL only: on SQLite every transaction is IMMEDIATE, so writers
take turns whatever the service does, and a barrier inside one would wait for threads that cannot start.
"""

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from waymark.core.roles import Role
from waymark.grants.budgets import committed_total
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.factories import ApplicationFactory, ProgrammeFactory
from waymark.grants.models import GrantDecision, Programme
from waymark.grants.services import decisions

DECIDERS = 24
AMOUNT = Decimal("1500.00")
BUDGET = Decimal("20000.00")
FIT = int(BUDGET // AMOUNT)  # 13


def _decide_together(applications: list[Any], actor: Any, sqlite_file: Path | None) -> list[BaseException]:
    barrier = threading.Barrier(DECIDERS, timeout=60)
    errors: list[BaseException] = []

    def attempt(application: Any) -> None:
        try:
            if sqlite_file is not None:
                thread_connection = connections["default"]  # this thread's own connection, not yet open
                thread_connection.settings_dict = {**thread_connection.settings_dict, "NAME": str(sqlite_file)}
            barrier.wait()
            decisions.decide_application(
                application,
                outcome=DecisionOutcome.AWARD,
                amount=AMOUNT,
                reason="A clear need, well explained.",
                actor=actor,
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()  # each thread's own connection

    threads = [threading.Thread(target=attempt, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return errors


def _world(make_persona: Callable[..., Any]) -> tuple[Programme, list[Any], Any]:
    programme = ProgrammeFactory(budget=BUDGET)
    applications = [
        ApplicationFactory(programme=programme, status=ApplicationStatus.IN_ASSESSMENT) for _ in range(DECIDERS)
    ]
    return programme, applications, make_persona(Role.STAFF)


def _in_a_file(tmp_path: Path) -> Path | None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        sqlite_file = tmp_path / "decisions.sqlite3"
        with closing(sqlite3.connect(sqlite_file)) as file_database:
            connection.connection.backup(file_database)
        return sqlite_file
    return None


def _back_from_file(sqlite_file: Path | None) -> None:
    if sqlite_file is not None:  # bring the threads' work back to the test's own database
        with closing(sqlite3.connect(sqlite_file)) as file_database:
            file_database.backup(connection.connection)


@pytest.mark.django_db(transaction=True)
def test_awards_decided_at_the_same_moment_never_commit_more_than_the_budget(tmp_path, make_persona):
    programme, applications, officer = _world(make_persona)
    sqlite_file = _in_a_file(tmp_path)

    errors = _decide_together(applications, officer, sqlite_file)
    _back_from_file(sqlite_file)

    refusals = [error for error in errors if isinstance(error, ValidationError)]
    assert len(refusals) == len(errors), f"{connection.vendor}: {errors!r}"
    assert len(refusals) == DECIDERS - FIT
    remaining = BUDGET - FIT * AMOUNT
    for refusal in refusals:
        assert refusal.message_dict["amount"] == [
            f"Only £{remaining:,.2f} remains of the programme's budget of £20,000.00: award £{remaining:,.2f} or less."
        ]
    assert GrantDecision.objects.filter(application__programme=programme).count() == FIT
    assert committed_total(programme.pk) == FIT * AMOUNT <= BUDGET
    assert programme.applications.filter(status=ApplicationStatus.AWARDED).count() == FIT
    assert programme.applications.filter(status=ApplicationStatus.IN_ASSESSMENT).count() == DECIDERS - FIT


@pytest.mark.django_db(transaction=True)
def test_without_the_programme_lock_the_same_moment_over_commits_the_budget(make_persona, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's IMMEDIATE transactions make writers take turns: see the module's docstring.")
    programme, applications, officer = _world(make_persona)
    read_barrier = threading.Barrier(DECIDERS, timeout=60)

    def no_lock(programme_id: int) -> Programme:
        return Programme.objects.get(pk=programme_id)

    def total_then_wait(programme_id: int) -> Decimal:
        total = committed_total(programme_id)
        read_barrier.wait()  # every decider has read the total before any of them adds its award
        return total

    monkeypatch.setattr(decisions, "_lock_programme", no_lock)
    monkeypatch.setattr(decisions, "committed_total", total_then_wait)

    errors = _decide_together(applications, officer, None)

    assert not errors, errors
    assert GrantDecision.objects.filter(application__programme=programme).count() == DECIDERS
    assert committed_total(programme.pk) == DECIDERS * AMOUNT > BUDGET
