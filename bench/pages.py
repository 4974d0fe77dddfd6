"""How long pages and API calls take, and how much memory they allocate, against /healthz in the same run.

Builds a throw-away SQLite database with the full demo borough in bench/data/, signs in as an
administrator and times each URL in-process with Django's test client. Prints ratios to the
baseline (a bare database round trip) rather than absolute thresholds: compare runs by ratio.

"cold ms" is the first request after the cache is emptied (what every request cost before disclosure-controlled
tables and PDFs were cached); "median ms" is a repeat view. The heavy pages are a 30-service shortlist PDF,
the disclosure-controlled monitoring dashboards, the voice report and its PDF, and the timeliness page.

    .venv/bin/python bench/pages.py [--repeat 40] [--size small]
"""

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from waymark.accounts.factories import verified_login  # noqa: E402
from waymark.accounts.services import ensure_demo_admin  # noqa: E402
from waymark.core.models import Organisation  # noqa: E402
from waymark.directory.models import Service  # noqa: E402
from waymark.monitoring import dashboards  # noqa: E402

BASELINE = "/healthz"


def fetch(client: Client, url: str) -> int:
    """GET the URL and read the whole body (a streamed CSV costs nothing until it is read)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.status_code


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Milliseconds for the first request on an empty cache, median milliseconds of repeat requests,
    queries per repeat request and peak bytes allocated for one request."""
    cache.clear()
    started = time.perf_counter()
    assert fetch(client, url) == 200, url
    cold = (time.perf_counter() - started) * 1000
    for _ in range(2):
        assert fetch(client, url) == 200, url
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetch(client, url)
        timings.append((time.perf_counter() - started) * 1000)
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        fetch(client, url)
    tracemalloc.start()
    fetch(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return cold, statistics.median(timings), len(queries), peak


def heavy_urls(client: Client) -> list[str]:
    """The pages anyone could make expensive, with a full shortlist in the client's session."""
    for service in Service.objects.public().order_by("pk")[:30]:
        client.post(reverse("directory:shortlist_add", args=[service.uuid]))
    provider = dashboards.providers_with_figures().first()
    assert provider is not None
    return [
        reverse("directory:shortlist_pdf"),
        reverse("monitoring:provider_dashboard", args=[provider.uuid]),
        reverse("monitoring:disproportionality") + f"?provider={provider.uuid}",
        reverse("voice:report"),
        reverse("voice:report_pdf"),
        reverse("voice:response_timeliness"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--size", choices=["small", "full"], default="full", help="The demo borough's size.")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its progress and missing-glyph notes

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", "--seed", "1", "--size", args.size, verbosity=0)
    admin, _password = ensure_demo_admin()
    client = Client(HTTP_HOST="127.0.0.1")
    verified_login(client, admin)
    organisation = Organisation.objects.order_by("name").first()
    assert organisation is not None

    urls = [
        BASELINE,
        "/",
        "/pages/accessibility/",
        "/organisations/",
        "/organisations/?org_type=charity&page=2",
        f"/organisations/{organisation.uuid}/",
        f"/organisations/{organisation.uuid}/history/",
        "/organisations/?format=csv",
        "/jobs/",
        "/api/v1/organisations/",
        "/api/v1/areas/?page_size=100",
        "/api/v1/ethnic-code-sets/",
        *heavy_urls(client),
    ]
    results = {url: measure(client, url, args.repeat) for url in urls}
    _base_cold, base_ms, _base_queries, base_peak = results[BASELINE]
    print(
        f"{'URL':50} {'cold ms':>9} {'× baseline':>11} {'median ms':>10} {'× baseline':>11} {'queries':>8} "
        f"{'peak KiB':>9} {'× baseline':>11}"
    )
    for url, (cold, ms, queries, peak) in results.items():
        url = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>", url)
        print(
            f"{url:50} {cold:9.1f} {cold / base_ms:11.1f} {ms:10.2f} {ms / base_ms:11.1f} {queries:8d} "
            f"{peak / 1024:9.0f} {peak / base_peak:11.1f}"
        )


if __name__ == "__main__":
    main()
