"""Every page each persona can reach, timed against /healthz in the same run.

Builds a throw-away SQLite database with the demo borough in bench/data/, then for each demo persona (and an
anonymous visitor) signs in and crawls from "/" along same-site GET links in the HTML (never forms, never
logout, never /admin/ or the API docs). Each URL route is timed once per persona, with the first real instance
found (a ``?format=`` export counts as its own route), in-process with Django's test client: median and p95
of ``--repeat`` views against /healthz's, viewed after each page view (same client, same load). Prints ratios:
compare runs by ratio.

Targets: every page's p95 within 20 times /healthz's and the median page within 8 times. PDFs and exports (anything
not HTML: CSV, XLSX, JSON, ICS, ZIP) are listed separately and left out of the targets.

``--heavy`` also prints the first request on an empty cache and the peak memory of the heavy pages (a 30-service
shortlist PDF, the disclosure-controlled monitoring dashboards, the voice report and its PDF, timeliness).

    .venv/bin/python bench/pages.py [--size small|full] [--repeat 5] [--max-pages 400] [--heavy]
"""

import argparse
import html
import io
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
DATA.mkdir(parents=True, exist_ok=True)
os.environ["WAYMARK_VAR_DIR"] = tempfile.mkdtemp(dir=DATA)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waymark.settings")
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponseBase  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve, reverse  # noqa: E402

from waymark.accounts.factories import verified_login  # noqa: E402
from waymark.accounts.models import User  # noqa: E402
from waymark.accounts.services import ensure_demo_admin  # noqa: E402
from waymark.directory.models import Service  # noqa: E402
from waymark.monitoring import dashboards  # noqa: E402

BASELINE = "/healthz"
HOST = "127.0.0.1"
PERSONAS = (
    "demo-worker",
    "demo-responder",
    "demo-analyst",
    "demo-member",
    "demo-grants-officer",
    "demo-grants-assessor",
    "demo-cdw-manager",
)
PAGE_P95_TARGET = 20.0
MEDIAN_PAGE_TARGET = 8.0
SKIP = re.compile(r"^/(admin/|api/v1/docs)|logout|/static/|/media/")
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass
class Row:
    persona: str
    route: str
    url: str
    status: int
    download: bool
    median: float = 0.0
    p95: float = 0.0


def fetch(client: Client, url: str) -> HttpResponseBase:
    """GET the URL and read the whole body (a streamed CSV costs nothing until it is read)."""
    response = client.get(url)
    if response.streaming:
        response._bench_body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response


def body(response: HttpResponseBase) -> bytes:
    return bytes(getattr(response, "_bench_body", b"") or getattr(response, "content", b""))


def elapsed(client: Client, url: str) -> float:
    started = time.perf_counter()
    fetch(client, url)
    return (time.perf_counter() - started) * 1000


def median_p95(times: list[float]) -> tuple[float, float]:
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]
    return statistics.median(times), p95


def timings(client: Client, url: str, repeat: int, baseline: list[float]) -> tuple[float, float]:
    """Median and p95 milliseconds of ``repeat`` views after one warm-up view, each followed by a view of
    /healthz into ``baseline``, so that the baseline is sampled under the same machine load as the pages."""
    fetch(client, url)
    times = []
    for _ in range(repeat):
        times.append(elapsed(client, url))
        baseline.append(elapsed(client, BASELINE))
    return median_p95(times)


def route_of(url: str) -> str | None:
    """The URL route the path resolves to (plus its export format), or None for what is not to be visited."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", HOST, "testserver"):
        return None
    if SKIP.search(parts.path):
        return None
    try:
        route = "/" + resolve(parts.path).route
    except Resolver404:
        return None
    export = parse_qs(parts.query).get("format")
    return f"{route} ?format={export[0]}" if export else route


def crawl(client: Client, persona: str, max_pages: int) -> list[Row]:
    """Breadth-first from "/", one real instance of each route the persona reaches."""
    found: dict[str, Row] = {}
    queue: deque[str] = deque(["/"])
    while queue and len(found) < max_pages:
        url = queue.popleft()
        route = route_of(url)
        if route is None or route in found:
            continue
        response = fetch(client, url)
        content_type = response.get("Content-Type", "")
        found[route] = Row(persona, route, url, response.status_code, not content_type.startswith("text/html"))
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(urljoin(url, response["Location"]))
        elif response.status_code == 200 and not found[route].download:
            for href in HREF.findall(body(response).decode("utf-8", "replace")):
                target = urljoin(url, html.unescape(href).split("#")[0])
                if target and route_of(target) not in found:
                    queue.append(target)
    return list(found.values())


def clients() -> list[tuple[str, Client]]:
    """A signed-in test client per persona, the demo administrator, and an anonymous visitor."""
    admin, _password = ensure_demo_admin()
    users = [*User.objects.filter(username__in=PERSONAS).order_by("username"), admin]
    missing = set(PERSONAS) - {user.username for user in users}
    if missing:
        print(f"Not in this demo borough: {', '.join(sorted(missing))}")
    result = []
    for user in [*users, None]:
        client = Client(HTTP_HOST=HOST, raise_request_exception=False)
        if user is not None:
            verified_login(client, user)
        result.append((user.username if user else "anonymous", client))
    return result


def print_persona(persona: str, rows: list[Row], base: tuple[float, float]) -> None:
    print(f"\n== {persona}: {len(rows)} routes; /healthz median {base[0]:.2f} ms, p95 {base[1]:.2f} ms")
    print(f"{'route':55} {'example URL':60} {'status':>6} {'median ms':>10} {'p95 ms':>9} {'× med':>7} {'× p95':>7}")
    for row in sorted(rows, key=lambda r: (r.download, r.route)):
        url = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>", row.url)
        kind = " (download)" if row.download else ""
        print(
            f"{row.route[:55]:55} {url[:60]:60} {row.status:6d} {row.median:10.2f} {row.p95:9.2f} "
            f"{row.median / base[0]:7.1f} {row.p95 / base[1]:7.1f}{kind}"
        )


def summarise(results: list[tuple[list[Row], tuple[float, float]]]) -> None:
    pages = [(row, base) for rows, base in results for row in rows if not row.download]
    downloads = [(row, base) for rows, base in results for row in rows if row.download]
    print(f"\n== Summary: {len(pages)} pages and {len(downloads)} downloads over {len(results)} personas")
    if not pages:
        return
    median_ratio = statistics.median(row.median / base[0] for row, base in pages)
    worst_row, worst_base = max(pages, key=lambda pair: pair[0].p95 / pair[1][1])
    print(f"Median page: {median_ratio:.1f}× /healthz's median (target ≤ {MEDIAN_PAGE_TARGET:g}×)")
    print(
        f"Worst p95: {worst_row.p95 / worst_base[1]:.1f}× /healthz's p95 "
        f"({worst_row.persona} {worst_row.route}; target ≤ {PAGE_P95_TARGET:g}×)"
    )
    misses = sorted(
        ((row.p95 / base[1], row) for row, base in pages if row.p95 / base[1] > PAGE_P95_TARGET),
        key=lambda pair: -pair[0],
    )
    print(f"Pages missing the p95 target: {len(misses)}")
    for ratio, row in misses:
        print(f"  {ratio:7.1f}×  {row.p95:9.1f} ms  {row.persona:22} {row.route}")
    for row, _base in pages + downloads:
        if row.status >= 400:  # a link the persona was shown to a page that refuses or fails
            print(f"Linked page answered {row.status}: {row.persona} {row.url}")
    if downloads:
        print("Downloads (not in the targets), slowest p95 first:")
        for row, base in sorted(downloads, key=lambda pair: -pair[0].p95 / pair[1][1]):
            print(f"  {row.p95 / base[1]:7.1f}×  {row.p95:9.1f} ms  {row.persona:22} {row.route}")


def count_queries(client: Client, url: str) -> int:
    """Queries of one view (CaptureQueriesContext would lose them: each request resets the query log)."""
    queries: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fetch(client, url)
    return len(queries)


def heavy_pages_cold_and_memory(repeat: int) -> None:
    """First request on an empty cache, repeat median, queries and peak memory of the heavy pages, as admin."""
    client = Client(HTTP_HOST=HOST)
    verified_login(client, ensure_demo_admin()[0])
    for service in Service.objects.public().order_by("pk")[:30]:
        client.post(reverse("directory:shortlist_add", args=[service.uuid]))
    provider = dashboards.providers_with_figures().first()
    assert provider is not None
    urls = [
        BASELINE,
        reverse("directory:shortlist_pdf"),
        reverse("monitoring:provider_dashboard", args=[provider.uuid]),
        reverse("monitoring:disproportionality") + f"?provider={provider.uuid}",
        reverse("voice:report"),
        reverse("voice:report_pdf"),
        reverse("voice:response_timeliness"),
    ]
    print(f"\n== Heavy pages, as admin\n{'URL':50} {'cold ms':>9} {'median ms':>10} {'queries':>8} {'peak KiB':>9}")
    for url in urls:
        cache.clear()
        started = time.perf_counter()
        assert fetch(client, url).status_code == 200, url
        cold = (time.perf_counter() - started) * 1000
        median, _p95 = timings(client, url, repeat, [])
        queries = count_queries(client, url)
        tracemalloc.start()
        fetch(client, url)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        url = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>", url)
        print(f"{url[:50]:50} {cold:9.1f} {median:10.2f} {queries:8d} {peak / 1024:9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Timed views of each page (after one warm-up).")
    parser.add_argument("--size", choices=["small", "full"], default="full", help="The demo borough's size.")
    parser.add_argument("--max-pages", type=int, default=400, help="Most routes crawled per persona.")
    parser.add_argument("--heavy", action="store_true", help="Also the cold and memory figures of heavy pages.")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # each persona's table as it ends
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its progress and missing-glyph notes
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 404s and 500s are in the tables
    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # every e-mail the seed sends

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", "--seed", "1", "--size", args.size, verbosity=0, stdout=io.StringIO())
    results = []
    for persona, client in clients():
        rows = crawl(client, persona, args.max_pages)
        baseline: list[float] = []
        for row in rows:
            row.median, row.p95 = timings(client, row.url, args.repeat, baseline)
        base = median_p95(baseline or [elapsed(client, BASELINE)])
        print_persona(persona, rows, base)
        results.append((rows, base))
    summarise(results)
    if args.heavy:
        heavy_pages_cold_and_memory(args.repeat)


if __name__ == "__main__":
    main()
