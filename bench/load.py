"""A mixed load on the whole stack: gunicorn (2 workers) and the task worker, on SQLite or PostgreSQL.

The script builds a fresh database (a temporary SQLite file in bench/data/, or with ``--postgres`` a
PostgreSQL database it creates and drops), loads the small demo borough into it, and adds what the load
needs: member accounts with known passwords, an API token, and a published event open for registration.
It then starts, on 127.0.0.1 only, a local SMTP sink (aiosmtpd), gunicorn with production settings
(``WAYMARK_ENV=production``, a throwaway SECRET_KEY, no redirect to HTTPS since it is plain HTTP on the
loopback) and the task worker (``manage.py db_worker``), and runs ``--clients`` threads for ``--seconds``,
each choosing at random, by weight, one of:

- a public directory search;
- the public feedback form: fetch it, post a submission with its CSRF cookie and token;
- an event registration: fetch the event's page, register with its CSRF cookie and token;
- a sign-in as a member (no second factor for that role): fetch the form, post the password, open the
  profile with the new session;
- an API read with a member's token (organisations, areas, directory services);
- ``/healthz``, the baseline: the same server under the same load, answering the plainest page.

The rate limits stay on, raised for the run through their settings (printed). Afterwards it waits (at
most a minute) for the worker to finish the queued tasks, then prints requests/s, median and p95 latency
of each kind of request and their ratio to the baseline's, server errors (5xx or no answer), accepted
writes against the rows stored (feedback items and registrations carry a tag of this run), and the
tasks' outcome. Target: zero server errors and nothing lost. Everything it started (gunicorn, the worker,
the SMTP sink, the PostgreSQL database, the temporary folder) is stopped or removed at the end, even on
Ctrl-C or failure; logs are kept when a target was missed.

    .venv/bin/python bench/load.py [--postgres] [--seconds 60] [--clients 24]

With ``--postgres`` the server is the one in TEST_POSTGRES_URL (its database name is ignored: the bench
makes its own) or postgres://postgres@127.0.0.1:5432. It runs for minutes, so ``make bench`` leaves it out.
"""

import argparse
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
from voice_load import DATA, GUNICORN, HOST, PYTHON, ROOT, free_port, percentile, request

BENCH_DATABASE = "waymark_loadbench"
RAISED_RATE = "100000/m"
RATE_SETTINGS = ("LOGIN_RATE", "VOICE_FEEDBACK_RATE", "EVENT_REGISTRATION_RATE", "API_ANON_RATE", "API_USER_RATE")
MEMBERS = 20
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TICKET_FIELD = re.compile(rb'name="ticket_type" value="(\d+)"')
SEARCHES = ("", "counselling", "carers", "Bengali", "housing", "young people", "peer support", "Urdu", "crisis")
API_PATHS = ("/api/v1/organisations/", "/api/v1/areas/", "/api/v1/directory/services")
FEEDBACK_PATH = "/voice/feedback/en-gb/"
# kind → weight in the mix
MIX = {"healthz": 2, "search": 4, "feedback": 2, "registration": 2, "sign-in": 1, "api": 3}
WAIT_FOR_TASKS_SECONDS = 60

# Run in the new database with Django set up: bench accounts, a token and an event; prints them as JSON.
SETUP_CODE = """
import datetime, json
from django.utils import timezone
from waymark.accounts import services as accounts
from waymark.core.roles import Role
from waymark.api.services import create_api_token
from waymark.core.models import Organisation
from waymark.network.models import Event, EventStatus, Network, TicketType
from waymark.network.services import events as services_events

password = {password!r}
organisation = Organisation.objects.filter(active=True).order_by("name").first()
usernames = []
for number in range({members}):
    user = accounts.create_user(
        actor=None, username=f"bench-member-{{number}}", email=f"bench-member-{{number}}@example.org",
        full_name=f"Bench member {{number}}", password=password,
    )
    accounts.grant_role(actor=None, user=user, role=Role.MEMBER, organisation=organisation)
    usernames.append(user.username)
_token, secret = create_api_token(actor=user, name="Load bench")
starts = timezone.now() + datetime.timedelta(days=30)
event = services_events.save_event(actor=None, event=Event(
    title="Load bench open day", venue="Community Hub", starts_at=starts,
    ends_at=starts + datetime.timedelta(hours=3), network=Network.objects.order_by("pk").first(),
    status=EventStatus.PUBLISHED, registration_open=True,
))
services_events.save_event_part(actor=None, part=TicketType(event=event, name="Open place", capacity=100000))
print(json.dumps({{"usernames": usernames, "token": secret, "event": str(event.uuid)}}))
"""

COUNT_CODE = """
import json
from django_tasks_db.models import DBTaskResult
from waymark.network.models import Registration
from waymark.voice.models import FeedbackItem

tasks = {{}}
for row in DBTaskResult.objects.values("status").order_by():
    tasks[row["status"]] = tasks.get(row["status"], 0) + 1
print(json.dumps({{
    "feedback": FeedbackItem.objects.filter(text__contains={tag!r}).count(),
    "registrations": Registration.objects.filter(email__startswith={tag!r}).count(),
    "tasks": tasks,
}}))
"""


@dataclass
class Tally:
    """What the clients saw; threads add to it under the lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    outcomes: Counter = field(default_factory=Counter)

    def record(self, kind: str, status: int | None, ms: float) -> None:
        with self.lock:
            self.statuses[kind][status] += 1
            if status is not None:
                self.times[kind].append(ms)

    def count(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1

    def server_errors(self, kind: str) -> int:
        return sum(n for status, n in self.statuses[kind].items() if status is None or status >= 500)


@dataclass
class Client:
    """One simulated visitor: a port, a cookie jar and what the setup made."""

    port: int
    tally: Tally
    world: dict
    tag: str
    password: str
    cookies: dict[str, str] = field(default_factory=dict)

    def call(self, kind: str, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        headers = {"Host": HOST, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = b""
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, content, set_cookies, location, ms = request(self.port, method, path, body, headers)
        self.tally.record(kind, status, ms)
        jar = SimpleCookie()
        for cookie in set_cookies:
            jar.load(cookie)
        self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return status, content, location

    def form(self, kind: str, path: str) -> bytes | None:
        """Fetch a form page with a fresh cookie jar; its content if it came with a CSRF token."""
        self.cookies = {}
        status, content, _location = self.call(kind, "GET", path)
        if status != 200 or CSRF_FIELD.search(content) is None or "csrftoken" not in self.cookies:
            self.tally.count(f"{kind}: no form")
            return None
        return content


def csrf_value(content: bytes) -> str:
    match = CSRF_FIELD.search(content)
    return match.group(1).decode() if match else ""


def do_healthz(client: Client, number: int) -> None:
    client.cookies = {}
    client.call("healthz", "GET", "/healthz")


def do_search(client: Client, number: int) -> None:
    client.cookies = {}
    query = urlencode({"q": SEARCHES[number % len(SEARCHES)]})
    client.call("search", "GET", f"/directory/?{query}")


def do_feedback(client: Client, number: int) -> None:
    content = client.form("feedback form", FEEDBACK_PATH)
    if content is None:
        return
    data = {
        "csrfmiddlewaretoken": csrf_value(content),
        "text": f"The clinic had no interpreter and the wait was long. [{client.tag}-{number}]",
        "consent_to_share": "on",
    }
    status, _content, location = client.call("feedback post", "POST", FEEDBACK_PATH, data)
    client.tally.count("feedback accepted" if status == 302 and "/reference/" in location else "feedback refused")


def do_registration(client: Client, number: int) -> None:
    path = f"/network/events/{client.world['event']}/register/"
    content = client.form("registration form", path)
    if content is None:
        return
    ticket = TICKET_FIELD.search(content)
    data = {
        "csrfmiddlewaretoken": csrf_value(content),
        "ticket_type": ticket.group(1).decode() if ticket else "",
        "name": f"Bench visitor {number}",
        "email": f"{client.tag}-{number}@example.org",
    }
    status, _content, location = client.call("registration post", "POST", path, data)
    accepted = status == 302 and "/my-registration/" in location
    client.tally.count("registration accepted" if accepted else "registration refused")


def do_sign_in(client: Client, number: int) -> None:
    content = client.form("sign-in form", "/account/login/")
    if content is None:
        return
    data = {
        "csrfmiddlewaretoken": csrf_value(content),
        "username": client.world["usernames"][number % len(client.world["usernames"])],
        "password": client.password,
    }
    status, _content, location = client.call("sign-in post", "POST", "/account/login/", data)
    if status != 302 or urlsplit(location).path.startswith("/account/login"):
        client.tally.count("sign-in refused")
        return
    status, _content, _location = client.call("profile (signed in)", "GET", "/account/")
    client.tally.count("sign-in completed" if status == 200 else "sign-in without a session")


def do_api(client: Client, number: int) -> None:
    client.cookies = {}
    path = API_PATHS[number % len(API_PATHS)]
    client.call("api", "GET", path, headers={"Authorization": f"Bearer {client.world['token']}"})


ACTIONS: dict[str, Callable[[Client, int], None]] = {
    "healthz": do_healthz,
    "search": do_search,
    "feedback": do_feedback,
    "registration": do_registration,
    "sign-in": do_sign_in,
    "api": do_api,
}


def run_load(port: int, world: dict, tag: str, password: str, clients: int, seconds: float) -> tuple[Tally, float]:
    """``clients`` threads, each doing one action of the mix after another until the deadline."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    kinds, weights = list(MIX), list(MIX.values())
    counter = iter(range(10**9))
    counter_lock = threading.Lock()

    def visitor(seed: int) -> None:
        chooser = random.Random(seed)
        client = Client(port=port, tally=tally, world=world, tag=tag, password=password)
        while time.monotonic() < deadline:
            with counter_lock:
                number = next(counter)
            ACTIONS[chooser.choices(kinds, weights)[0]](client, number)

    started = time.perf_counter()
    threads = [threading.Thread(target=visitor, args=(seed,), daemon=True) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:  # each request times out after 60 s, so this ends
        thread.join(timeout=seconds + 120)
    return tally, time.perf_counter() - started


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], log: Path, ready: Callable[[], bool] | None = None) -> Iterator:
    """A child in its own process group, stopped (TERM, then KILL) with everything it started on leaving."""
    with log.open("ab") as output:
        child = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while ready is not None and not ready():
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{Path(args[1]).name} did not start; see {log}")
            time.sleep(0.3)
        yield child
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    return subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        timeout=timeout,
    ).stdout  # fmt: skip


def shell_json(env: dict[str, str], code: str) -> dict:
    return json.loads(manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1])


def smtp_ready(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return True
        return False

    return ready


def report(tally: Tally, seconds: float) -> None:
    requests = sum(sum(counter.values()) for counter in tally.statuses.values())
    print(f"  {requests} requests in {seconds:.1f} s = {requests / seconds:.1f} requests/s")
    base_p50 = statistics.median(tally.times["healthz"] or [float("nan")])
    base_p95 = percentile(tally.times["healthz"], 0.95)
    print(f"    {'kind':22} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p50 ×base':>9} {'p95 ×base':>9} {'5xx':>5}")
    for kind in sorted(tally.statuses, key=lambda kind: (kind != "healthz", kind)):
        times = tally.times[kind]
        p50 = statistics.median(times or [float("nan")])
        p95 = percentile(times, 0.95)
        label = "healthz (baseline)" if kind == "healthz" else kind
        print(
            f"    {label:22} {sum(tally.statuses[kind].values()):8} {p50:8.1f} {p95:8.1f}"
            f" {p50 / base_p50:9.1f} {p95 / base_p95:9.1f} {tally.server_errors(kind):5}"
        )
    statuses = Counter()
    for counter in tally.statuses.values():
        statuses.update(counter)
    print(
        "    statuses: " + ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(statuses.items(), key=str))
    )


def bench(database_url: str, base_env: dict[str, str], var_dir: Path, args: argparse.Namespace) -> bool:
    """Seed, start everything, load, count; True when the targets were met."""
    env = {**base_env, "DATABASE_URL": database_url}
    started = time.perf_counter()
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "seed_demo", "--size", "small", "--seed", "1")
    password = secrets.token_urlsafe(18)
    world = shell_json(env, SETUP_CODE.format(password=password, members=MEMBERS))
    print(
        f"  fresh database with the small demo borough and the bench's records in {time.perf_counter() - started:.0f} s"
    )
    # Feedback and registrations sent by the load carry this tag, so the rows counted are theirs alone.
    tag = f"bench-{secrets.token_hex(4)}"

    smtp_port = free_port()
    env = {**env, "EMAIL_HOST": HOST, "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "false"}
    server_env = {**env, **dict.fromkeys(RATE_SETTINGS, RAISED_RATE)}
    port = free_port()
    gunicorn = [str(GUNICORN), "waymark.wsgi", "--workers", "2", "--bind", f"{HOST}:{port}", "--timeout", "60"]
    smtp = [str(PYTHON), "-m", "aiosmtpd", "-n", "-l", f"{HOST}:{smtp_port}", "-c", "aiosmtpd.handlers.Debugging"]
    worker = [str(PYTHON), "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay"]
    mail_log = var_dir / "smtp.log"
    with contextlib.ExitStack() as stack:
        stack.enter_context(process(smtp, env, mail_log, smtp_ready(smtp_port)))
        stack.enter_context(process(worker, env, var_dir / "worker.log"))
        with process(
            gunicorn,
            server_env,
            var_dir / "gunicorn.log",
            lambda: request(port, "GET", "/healthz", headers={"Host": HOST})[0] == 200,
        ):
            print(
                f"  gunicorn (2 workers, production settings), db_worker and an SMTP sink on {HOST}; "
                f"{args.clients} clients for {args.seconds:.0f} s"
            )
            print("  rate limits raised for the run: " + ", ".join(f"{name}={RAISED_RATE}" for name in RATE_SETTINGS))
            tally, seconds = run_load(port, world, tag, password, args.clients, args.seconds)
        deadline = time.monotonic() + WAIT_FOR_TASKS_SECONDS
        counts = shell_json(env, COUNT_CODE.format(tag=tag))
        while counts["tasks"].get("READY", 0) + counts["tasks"].get("RUNNING", 0) and time.monotonic() < deadline:
            time.sleep(2)
            counts = shell_json(env, COUNT_CODE.format(tag=tag))
    mails = mail_log.read_text(errors="replace").count("MESSAGE FOLLOWS") if mail_log.exists() else 0
    report(tally, seconds)
    return report_writes(tally.outcomes, counts, mails, sum(map(tally.server_errors, tally.statuses)))


def report_writes(outcomes: Counter, counts: dict, mails: int, server_errors: int) -> bool:
    """Accepted writes against the rows stored, sign-ins and the tasks; True when the targets were met."""
    lost_feedback = outcomes["feedback accepted"] - counts["feedback"]
    lost_registrations = outcomes["registration accepted"] - counts["registrations"]
    print(f"    feedback: accepted {outcomes['feedback accepted']}, stored {counts['feedback']}, lost {lost_feedback}")
    print(
        f"    registrations: accepted {outcomes['registration accepted']}, stored {counts['registrations']}, "
        f"lost {lost_registrations}"
    )
    print(f"    sign-ins completed (profile opened with the new session): {outcomes['sign-in completed']}")
    problems = {name: n for name, n in outcomes.items() if not name.endswith(("accepted", "completed"))}
    print(f"    refused or broken attempts: {problems or 'none'}")
    print(f"    background tasks by status after the run: {counts['tasks']}; mails delivered to the sink: {mails}")
    met = (
        server_errors == 0
        and lost_feedback == 0
        and lost_registrations == 0
        and min(counts["feedback"], counts["registrations"], outcomes["sign-in completed"]) > 0
        and not problems
        and not counts["tasks"].get("FAILED")
    )
    print(f"  targets (no server errors, nothing lost, no task failed): {'met' if met else 'NOT MET'}")
    return met


def stop_on_term(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL instead of SQLite")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=24)
    args = parser.parse_args()
    # Ctrl-C and a TERM from outside both unwind through the ``finally`` blocks that stop the children.
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, stop_on_term)

    DATA.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="load-", dir=DATA))
    base_env = {
        **{
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "TASKS_BACKEND", *RATE_SETTINGS}
        },
        "DJANGO_SETTINGS_MODULE": "waymark.settings",
        "WAYMARK_ENV": "production",
        "DEBUG": "false",
        "WAYMARK_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "MEDIA_ROOT": str(var_dir / "media"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "EMAIL_HOST": HOST,
        "EMAIL_USE_TLS": "false",
        # Plain HTTP on the loopback: no redirect to HTTPS, no HSTS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    met = False
    try:
        manage({**base_env, "DATABASE_URL": f"sqlite:///{var_dir / 'static.sqlite3'}"}, "collectstatic", "--noinput")
        if not args.postgres:
            print("== SQLite")
            met = bench(f"sqlite:///{var_dir / 'load.sqlite3'}", base_env, var_dir, args)
        else:
            server = urlsplit(os.environ.get("TEST_POSTGRES_URL") or f"postgres://postgres@{HOST}:5432")
            server_url = f"{server.scheme}://{server.netloc}"
            print(f"== PostgreSQL ({server.hostname}:{server.port or 5432}, database {BENCH_DATABASE})")
            with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
                admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
            try:
                met = bench(f"{server_url}/{BENCH_DATABASE}", base_env, var_dir, args)
            finally:
                with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    except KeyboardInterrupt:
        print("Interrupted: everything started was stopped.")
    finally:
        if met:
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"Logs and the SQLite database are kept in {var_dir}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
