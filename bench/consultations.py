"""How long clash detection and the consultation calendar take over a big calendar, against a directory service page
in the same run.

Builds a throw-away SQLite database in bench/data/ with 50,000 consultations (bulk-created) across 40 communities
and 200 themes (40 parents of four children each), spread over five years, about two in five still asking (planned
or open), each asking one to three communities about one to three themes. Then times, against a public directory
service page viewed in-process with Django's test client:

- clash detection on save: ``clashes.find_clashes`` with a new consultation's dates, communities and themes, as the
  form asks it before saving (a different random consultation each time);
- the calendar's month view of a busy month (signed in as an administrator), or the calendar's list page while the
  month view is not on main.

Prints median and p95 of each, its p95 as a multiple of the service page's, and queries per view (target: each p95
within 3 times the service page's on SQLite). ``--profile`` also prints where one call of each goes.

    .venv/bin/python bench/consultations.py [--repeat 60] [--profile]
"""

import argparse
import cProfile
import datetime
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from waymark.accounts.factories import verified_login  # noqa: E402
from waymark.accounts.services import ensure_demo_admin  # noqa: E402
from waymark.core.models import Community, Organisation, Theme  # noqa: E402
from waymark.directory.factories import ServiceFactory  # noqa: E402
from waymark.partnership.choices import ConsultationMethod, ConsultationStatus  # noqa: E402
from waymark.partnership.clashes import find_clashes  # noqa: E402
from waymark.partnership.models import Consultation  # noqa: E402

CONSULTATIONS = 50_000
COMMUNITIES = 40
PARENT_THEMES = 40
CHILDREN_PER_PARENT = 4  # 40 parents + 160 children = 200 themes
LEAD_BODIES = 60
FIRST_DAY = datetime.date(2023, 1, 1)
DAYS = 5 * 365
BUSY_MONTH = (2025, 6)  # in the middle of the spread
STATUSES = (
    (ConsultationStatus.PLANNED, 25),
    (ConsultationStatus.OPEN, 15),
    (ConsultationStatus.CLOSED, 20),
    (ConsultationStatus.REPORTED, 30),
    (ConsultationStatus.CANCELLED, 10),
)


def build(rng: random.Random) -> tuple[list[int], list[int]]:
    """Communities, themes, lead bodies and the consultations with their links, all bulk-created."""
    communities = Community.objects.bulk_create(
        [Community(name=f"Bench community {n}", kind="ethnic_group") for n in range(COMMUNITIES)]
    )
    parents = Theme.objects.bulk_create(
        [Theme(name=f"Bench theme {n}", slug=f"bench-theme-{n}") for n in range(PARENT_THEMES)]
    )
    children = Theme.objects.bulk_create(
        [
            Theme(name=f"Bench theme {p}.{c}", slug=f"bench-theme-{p}-{c}", parent=parent)
            for p, parent in enumerate(parents)
            for c in range(CHILDREN_PER_PARENT)
        ]
    )
    themes = parents + children
    bodies = Organisation.objects.bulk_create(
        [Organisation(name=f"Bench body {n}", org_type="charity") for n in range(LEAD_BODIES)]
    )
    statuses = [status for status, _weight in STATUSES]
    weights = [weight for _status, weight in STATUSES]
    rows = []
    for number in range(CONSULTATIONS):
        starts_on = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
        rows.append(
            Consultation(
                title=f"Bench consultation {number}",
                purpose="Hear what people think.",
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=rng.choice((0, 7, 14, 28, 42))),
                method=rng.choice(ConsultationMethod.values),
                lead_organisation=rng.choice(bodies),
                contact_name="Engagement lead",
                status=rng.choices(statuses, weights)[0],
            )
        )
    saved = Consultation.objects.bulk_create(rows, batch_size=2000)
    community_links = Consultation.communities.through
    theme_links = Consultation.themes.through
    community_links.objects.bulk_create(
        [
            community_links(consultation_id=consultation.pk, community_id=community.pk)
            for consultation in saved
            for community in rng.sample(communities, rng.choice((1, 1, 2, 3)))
        ],
        batch_size=5000,
    )
    theme_links.objects.bulk_create(
        [
            theme_links(consultation_id=consultation.pk, theme_id=theme.pk)
            for consultation in saved
            for theme in rng.sample(themes, rng.choice((1, 2, 2, 3)))
        ],
        batch_size=5000,
    )
    return [community.pk for community in communities], [theme.pk for theme in themes]


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float, list[float]]:
    """Median and p95 milliseconds of repeat calls, after two to warm up."""
    for _ in range(2):
        call()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], timings


def queries_of(call: Callable[[], object]) -> int:
    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        call()
    return len(queries)


def page(client: Client, url: str) -> Callable[[], object]:
    def view() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return view


def month_view_url() -> tuple[str, str]:
    """The month grid if it is on main, else the calendar's list page."""
    try:
        return "calendar month view", reverse("partnership:consultation_month", args=BUSY_MONTH)
    except NoReverseMatch:
        return "calendar list page", reverse("partnership:consultation_list")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="Also print where one call of each goes.")
    args = parser.parse_args()
    rng = random.Random(15)

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        community_ids, theme_ids = build(rng)
        service = ServiceFactory()
    print(f"Built {CONSULTATIONS:,} consultations in {time.perf_counter() - started:.1f} s", flush=True)

    admin, _password = ensure_demo_admin()
    signed_in = Client(HTTP_HOST="127.0.0.1")
    verified_login(signed_in, admin)
    public = Client(HTTP_HOST="127.0.0.1")

    def a_new_consultation() -> object:
        starts_on = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
        return find_clashes(
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=rng.choice((0, 14, 28))),
            community_ids=rng.sample(community_ids, rng.choice((1, 2, 3))),
            theme_ids=rng.sample(theme_ids, rng.choice((1, 2, 3))),
        )

    month_label, month_url = month_view_url()
    calls: list[tuple[str, Callable[[], object]]] = [
        ("service page (baseline)", page(public, reverse("directory:service_detail", args=[service.uuid]))),
        ("clash detection on save", a_new_consultation),
        (month_label, page(signed_in, month_url)),
    ]
    results = {}
    for label, call in calls:
        median, p95, _timings = timed(call, args.repeat)
        results[label] = (median, p95, queries_of(call))
    clashes_found = [len(a_new_consultation()) for _ in range(200)]  # type: ignore[arg-type]
    base_p95 = results["service page (baseline)"][1]
    print(f"{'timed':26} {'median ms':>10} {'p95 ms':>8} {'p95 × baseline':>15} {'queries':>8}  target ≤ 3×")
    for label, (median, p95, queries) in results.items():
        ratio = p95 / base_p95
        verdict = "" if label.endswith("(baseline)") else ("met" if ratio <= 3 else "MISSED")
        print(f"{label:26} {median:10.1f} {p95:8.1f} {ratio:15.1f} {queries:8d}  {verdict}")
    print(f"    {month_label}: {month_url}")
    print(
        f"    clashes found per new consultation: median {statistics.median(clashes_found):.0f}, "
        f"most {max(clashes_found)}"
    )
    if args.profile:
        for label, call in calls[1:]:
            print(f"== where one {label} goes")
            profiler = cProfile.Profile()
            profiler.runcall(call)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
