"""Fault tests run a real worker process against a database the test can see too."""

import os
import queue
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
BOUNDED_WAIT = 120  # seconds: a ceiling only a broken worker reaches, never a pause


@pytest.fixture
def shared_database(transactional_db, settings, tmp_path):
    """DATABASE_URL for a worker process, naming the database this test uses.

    PostgreSQL's test database is shared already. SQLite's is in memory, so the test moves to a file
    copy of it (the online backup API) for its duration, and the worker opens that file.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.VAR_DIR = tmp_path / "var"
    connection = connections["default"]
    if connection.vendor != "sqlite":
        params = connection.settings_dict
        credentials = quote(params["USER"]) + (f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else "")
        yield f"postgres://{credentials}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{params['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None  # closing the in-memory database would destroy it: set it aside instead
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory


class Worker:
    """A ``tests.faults.worker`` process, its output lines readable with a bounded wait."""

    def __init__(self, database_url: str, halt: str, log: Path) -> None:
        env = {**os.environ, "DATABASE_URL": database_url, "DATABASE_CONN_MAX_AGE": "0", "PYTHONUNBUFFERED": "1"}
        env.pop("TASKS_BACKEND", None)
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.faults.worker", halt],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # the process has ended

    def wait_for(self, wanted: str) -> None:
        while True:
            line = self.lines.get(timeout=BOUNDED_WAIT)
            if line == wanted:
                return
            if line == "":
                raise AssertionError(f"The worker ended before {wanted}:\n{self.log.read_text()}")

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no handler, no clean-up, as a crash
        self.process.wait(timeout=BOUNDED_WAIT)

    def finish(self) -> None:
        """Wait for a worker started without a halt point to empty the queue and exit."""
        assert self.process.wait(timeout=BOUNDED_WAIT) == 0, self.log.read_text()


@pytest.fixture
def start_worker(shared_database, tmp_path):
    started: list[Worker] = []

    def start(halt: str = "none") -> Worker:
        worker = Worker(shared_database, halt, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.kill()
