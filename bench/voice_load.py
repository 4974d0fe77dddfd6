"""The public feedback form under load: 50 concurrent submitters for 60 s, on SQLite and on PostgreSQL.

For each database the script builds a fresh one (a temporary SQLite file in bench/data/; a PostgreSQL
database ``voicebench`` it creates and drops), migrates it, and starts gunicorn itself with 2 workers and
production settings (``WAYMARK_ENV=production``, manifest static files, DEBUG off) on 127.0.0.1. Then:

1. **Load**: 50 threads for 60 s, each fetching the form, reading its CSRF cookie and token, and posting
   a submission with them, again and again. The rate limit stays on, raised for the run by
   ``VOICE_FEEDBACK_RATE`` (printed with the results); every submission carries a tag for this run.
2. **Default limit**: gunicorn restarted without that setting, so the form has the site's default limit;
   10 s of the same traffic must give 429 responses and no server error.

It prints requests/s, median and p95 latency of form views and posts, server errors (5xx or no
response), and accepted (a redirect to the reference page) against stored (items in the database with
this run's tag). Target: zero server errors and zero lost submissions. Everything it started (gunicorn,
the PostgreSQL database, the temporary folder) is stopped or removed at the end, even on failure.

    .venv/bin/python bench/voice_load.py [--databases sqlite postgres] [--clients 50] [--seconds 60]

It runs for several minutes, so ``make bench`` (bench/run_all.py) leaves it out: run it on its own.
"""

import argparse
import http.client
import os
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
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
RAISED_RATE = "100000/m"
FORM_PATH = "/voice/feedback/en-gb/"
BENCH_DATABASE = "voicebench"
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# Texts in the form's languages, so language detection has real work queued after each save.
TEXTS = (
    "The waiting list for talking therapy is too long and nobody explained why.",
    "میری والدہ کو اردو بولنے والی مشیر نہیں ملی، انہیں بہت مشکل ہوئی۔",
    "Nikt w przychodni nie mówił po polsku i nie było tłumacza.",
    "আমার ভাইয়ের জন্য বাংলায় কোনো তথ্যপত্র ছিল না।",
)


@dataclass
class Tally:
    """What the submitters saw; threads add to it under the lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    form_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    accepted: int = 0
    no_response: int = 0
    other: Counter = field(default_factory=Counter)

    def record(self, kind: str, status: int | None, ms: float) -> None:
        with self.lock:
            if status is None:
                self.no_response += 1
                return
            self.statuses[status] += 1
            (self.form_ms if kind == "form" else self.post_ms).append(ms)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.no_response

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500) + self.no_response


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None
) -> tuple[int | None, bytes, list[str], str, float]:
    """One request on a fresh connection: status (None if none came), body, Set-Cookie values, Location, ms."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        return (
            response.status,
            content,
            response.headers.get_all("Set-Cookie") or [],
            response.headers.get("Location", ""),
            (time.perf_counter() - started) * 1000,
        )
    except OSError:
        return None, b"", [], "", (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def submit_once(port: int, tag: str, number: int, tally: Tally) -> None:
    """Fetch the form, then post a submission with its CSRF cookie and token, as a browser would."""
    status, content, cookies, _location, ms = request(port, "GET", FORM_PATH, headers={"Host": HOST})
    tally.record("form", status, ms)
    if status != 200:
        return
    jar = SimpleCookie()
    for cookie in cookies:
        jar.load(cookie)
    token = CSRF_TOKEN.search(content)
    if "csrftoken" not in jar or token is None:
        with tally.lock:
            tally.other["form without CSRF token"] += 1
        return
    body = urlencode(
        {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "text": f"{TEXTS[number % len(TEXTS)]} [{tag}-{number}]",
            "consent_to_share": "on",
        }
    ).encode()
    headers = {
        "Host": HOST,
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={jar['csrftoken'].value}",
    }
    status, content, _cookies, location, ms = request(port, "POST", FORM_PATH, body, headers)
    tally.record("post", status, ms)
    if status == 302 and "/reference/" in location:
        with tally.lock:
            tally.accepted += 1
    elif status == 200:
        with tally.lock:  # the form came back with errors: a bench bug, not load
            tally.other["form re-shown with errors"] += 1


def run_phase(port: int, tag: str, clients: int, seconds: float) -> tuple[Tally, float]:
    """``clients`` threads submitting in a loop for ``seconds``; returns what they saw and the time taken."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))
    counter_lock = threading.Lock()

    def submitter() -> None:
        while time.monotonic() < deadline:
            with counter_lock:
                number = next(counter)
            submit_once(port, tag, number, tally)

    started = time.perf_counter()
    threads = [threading.Thread(target=submitter) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


class Server:
    """gunicorn with 2 workers and production settings, in its own process group so stopping it stops all."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "waymark.wsgi", "--workers", "2", "--bind", f"{HOST}:{self.port}"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up; see {self.log}")
            if request(self.port, "GET", "/healthz", headers={"Host": HOST})[0] == 200:
                return self
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {self.log}")

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def stored_count(env: dict[str, str], tag: str) -> int:
    code = (
        "from waymark.voice.models import FeedbackItem; "
        f"print(FeedbackItem.objects.filter(text__contains={tag!r}).count())"
    )
    return int(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]
        if len(values) > 1
        else values[0]
    )


def report(label: str, tally: Tally, seconds: float) -> None:
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(tally.statuses.items()))
    print(f"  {label}: {tally.requests} requests in {seconds:.1f} s = {tally.requests / seconds:.1f} requests/s")
    print(
        f"    form GET  median {statistics.median(tally.form_ms or [float('nan')]):7.1f} ms"
        f"  p95 {percentile(tally.form_ms, 0.95):7.1f} ms"
    )
    print(
        f"    POST      median {statistics.median(tally.post_ms or [float('nan')]):7.1f} ms"
        f"  p95 {percentile(tally.post_ms, 0.95):7.1f} ms"
    )
    print(f"    statuses  {statuses}; no response: {tally.no_response}; server errors: {tally.server_errors}")
    for problem, count in tally.other.items():
        print(f"    {problem}: {count}")


def bench_database(name: str, database_url: str, base_env: dict[str, str], args: argparse.Namespace) -> bool:
    """Both phases against one fresh database; True when the targets were met."""
    env = {**base_env, "DATABASE_URL": database_url}
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    default_rate = manage(env, "shell", "-c", "from django.conf import settings; print(settings.VOICE_FEEDBACK_RATE)")
    default_rate = default_rate.strip().splitlines()[-1]
    tag = f"bench-{secrets.token_hex(4)}"
    log = Path(env["WAYMARK_VAR_DIR"]) / f"gunicorn-{name}.log"
    print(f"== {name}: gunicorn, 2 workers, WAYMARK_ENV=production, {args.clients} submitters", flush=True)

    with Server({**env, "VOICE_FEEDBACK_RATE": RAISED_RATE}, log) as server:
        load, load_seconds = run_phase(server.port, tag, args.clients, args.seconds)
    stored = stored_count(env, tag)
    print(f"  rate limit for the load phase: VOICE_FEEDBACK_RATE={RAISED_RATE} (per IP, shared cache)")
    report(f"load {args.seconds:.0f} s", load, load_seconds)
    lost = load.accepted - stored
    print(f"    accepted {load.accepted}, stored {stored}, lost {lost}")

    limit_tag = f"{tag}-limit"
    with Server(env, log) as server:
        limited, limited_seconds = run_phase(server.port, limit_tag, args.clients, args.limit_seconds)
    print(f"  rate limit for the second phase: the default, VOICE_FEEDBACK_RATE={default_rate}")
    report(f"default limit {args.limit_seconds:.0f} s", limited, limited_seconds)
    limited_stored = stored_count(env, limit_tag)
    print(f"    accepted {limited.accepted}, stored {limited_stored}, refused with 429: {limited.statuses[429]}")

    met = (
        load.server_errors == 0
        and lost == 0
        and stored > 0
        and not load.other
        and limited.server_errors == 0
        and limited.statuses[429] > 0
        and limited.accepted == limited_stored
    )
    print(f"  targets (no server errors, nothing lost, 429s at the default limit): {'met' if met else 'NOT MET'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--limit-seconds", type=float, default=10)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", f"postgres://postgres@{HOST}:5432"),
        help="server URL without a database name (default: %(default)s)",
    )
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="voice-load-", dir=DATA))
    base_env = {
        **{key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "VOICE_FEEDBACK_RATE"}},
        "DJANGO_SETTINGS_MODULE": "waymark.settings",
        "WAYMARK_ENV": "production",
        "DEBUG": "false",
        "WAYMARK_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        # Production refuses to start without a mail server; nothing is sent (no task worker runs).
        "EMAIL_HOST": HOST,
        # Plain HTTP on the loopback: no redirect to HTTPS, no HSTS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    base_env.pop("TASKS_BACKEND", None)
    all_met = True
    try:
        manage({**base_env, "DATABASE_URL": f"sqlite:///{var_dir / 'static.sqlite3'}"}, "collectstatic", "--noinput")
        for name in args.databases:
            if name == "sqlite":
                all_met &= bench_database(name, f"sqlite:///{var_dir / 'voicebench.sqlite3'}", base_env, args)
                continue
            with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
                admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
            try:
                all_met &= bench_database(name, f"{args.postgres}/{BENCH_DATABASE}", base_env, args)
            finally:
                with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    finally:
        if all_met:
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"Logs and the SQLite database are kept in {var_dir}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
