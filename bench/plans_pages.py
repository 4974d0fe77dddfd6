"""How long a big plan's pages take, against a directory service page in the same run.

Builds a throw-away SQLite database in bench/data/ with a published PCREF plan of 300 actions at every rating,
30 of them following a monitoring indicator (figures from monitoring's factories: five years of detentions,
restraint and community treatment orders for one trust and borough, with a published snapshot), then times the
plan page and the board dashboard (signed in as an administrator) and the public progress report (signed out),
against a public directory service page, in-process with Django's test client. Prints median and p95 of each,
its p95 as a multiple of the service page's, and its queries per view (target: each p95 within 5 times the service
page's on SQLite). A page whose part of the app is not on main yet is skipped with a note.

    .venv/bin/python bench/plans_pages.py [--repeat 60]
"""

import argparse
import cProfile
import datetime
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
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
from waymark.core.models import Organisation  # noqa: E402
from waymark.core.reference_data import ONS_2021  # noqa: E402
from waymark.directory.factories import ServiceFactory  # noqa: E402
from waymark.monitoring import dashboards  # noqa: E402
from waymark.monitoring.choices import Measure  # noqa: E402
from waymark.monitoring.factories import (  # noqa: E402
    ImportBatchFactory,
    LocalAuthorityFactory,
    PeopleCountFactory,
    PopulationBatchFactory,
    PopulationFigureFactory,
    ProviderFactory,
    ethnic_group,
)
from waymark.monitoring.services import publishing  # noqa: E402
from waymark.plans.choices import ActionStatus, Direction, PlanStatus, Rag, Statistic  # noqa: E402
from waymark.plans.models import Plan, PlanTemplate  # noqa: E402
from waymark.plans.services import actions, plans  # noqa: E402
from waymark.plans.services.indicators import attach_indicator  # noqa: E402

ACTIONS = 300
INDICATORS = 30
YEARS = range(2021, 2026)
MEASURES = (Measure.MHA_DETENTION, Measure.RESTRAINT, Measure.CTO)
# ONS 2021 population by code, and NHS codes with people counted each year (scaled a little year by year).
POPULATION = {"13": 100_000, "7": 10_000, "6": 8_000, "3": 20_000, "11": 6_000}
PEOPLE = {"A": 40, "M": 60, "N": 14, "H": 12, "J": 9}
GROUPS = ("Caribbean", "African", "Any other Black background", "Indian", "Bangladeshi")
RATINGS = (
    (Rag.GREEN, "On track: the last milestone was met on time."),
    (Rag.AMBER, "Behind by a month: a post is vacant until the new year."),
    (Rag.RED, "Stopped: the funding ended."),
    (Rag.NOT_RATED, ""),
)


def build() -> tuple[Plan, Organisation]:
    """The provider's figures, a published snapshot, and the plan: 300 actions, 30 indicators."""
    area = LocalAuthorityFactory(name="Riverside")
    population = PopulationBatchFactory()
    for code, count in POPULATION.items():
        PopulationFigureFactory(batch=population, area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count)
    provider = ProviderFactory(name="Riverside Mental Health Trust")
    for offset, year in enumerate(YEARS):
        batch = ImportBatchFactory(
            provider=provider,
            period_start=datetime.date(year, 4, 1),
            period_end=datetime.date(year + 1, 3, 31),
            measures=[measure.value for measure in MEASURES],
        )
        for measure in MEASURES:
            for code, people in PEOPLE.items():
                PeopleCountFactory(
                    batch=batch,
                    area=area,
                    ethnic_group=ethnic_group(code),
                    people=people + offset * 2,
                    measure=measure,
                    period_start=datetime.date(year, 4, 1),
                )
    publishing.publish_snapshot(
        actor=None,
        provider=provider,
        area=area,
        year=YEARS[-1],
        title="Riverside Mental Health Trust: detentions by ethnic group",
        methods_note="Synthetic figures for the bench.",
        check_access=False,
    )
    plan = plans.create_plan(
        actor=None,
        template=PlanTemplate.objects.get(code="pcref"),
        data={
            "title": "Bench PCREF plan",
            "plan_type": "pcref",
            "owner": provider,
            "period_start": datetime.date(2025, 4, 1),
            "period_end": datetime.date(2028, 3, 31),
            "board_lead_name": "Bench Example",
            "board_lead_role": "Chief Nurse",
        },
    )
    for status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED):
        plans.move_plan(actor=None, plan=plan, to_status=status)
    objectives = list(plan.objectives.order_by("order"))
    grouping = dashboards.default_grouping()
    for number in range(ACTIONS):
        objective = objectives[number % len(objectives)]
        action = actions.add_action(
            actor=None,
            objective=objective,
            data={
                "code": f"{objective.code}.{number // len(objectives) + 1}",
                "title": f"Bench action {number + 1}: something a named lead will do by a date",
                "lead_organisation": provider,
                "due_date": datetime.date(2025, 6, 1) + datetime.timedelta(days=number * 3),
            },
        )
        rag, reason = RATINGS[number % len(RATINGS)]
        complete = number % 9 == 0
        actions.update_action(
            actor=None,
            action=action,
            data={
                "status": ActionStatus.COMPLETE if complete else ActionStatus.IN_PROGRESS,
                "progress": 100 if complete else number % 100,
                "rag": Rag.GREEN if complete else rag,
                "rag_reason": "Delivered." if complete else reason,
            },
        )
        if number % (ACTIONS // INDICATORS) == 0:
            index = number // (ACTIONS // INDICATORS)
            attach_indicator(
                actor=None,
                action=action,
                check_access=False,
                data={
                    "title": "",
                    "measure": MEASURES[index % len(MEASURES)],
                    "provider": provider,
                    "area": area,
                    "grouping": grouping,
                    "group": GROUPS[index % len(GROUPS)],
                    "reference_group": "White British",
                    "statistic": Statistic.RATIO_TO_REFERENCE,
                    "target": 1.5,
                    "direction": Direction.AT_MOST,
                    "baseline_year": YEARS[0],
                },
            )
    return plan, provider


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    """Median and p95 milliseconds of repeat views (after two to warm up), and queries per view."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], len(queries)


def optional_url(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="Also print where one view of each page goes.")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        plan, provider = build()
        service = ServiceFactory()
    print(f"Built a plan of {ACTIONS} actions in {time.perf_counter() - started:.1f} s", flush=True)

    admin, _password = ensure_demo_admin()
    signed_in = Client(HTTP_HOST="127.0.0.1")
    verified_login(signed_in, admin)
    public = Client(HTTP_HOST="127.0.0.1")
    baseline = reverse("directory:service_detail", args=[service.uuid])
    board = optional_url("plans:board")
    pages = [
        ("service page (baseline)", public, baseline),
        ("plan page", signed_in, plan.get_absolute_url()),
        ("board dashboard", signed_in, board and f"{board}?organisation={provider.uuid}"),
        ("public report", public, optional_url("plans:public_report", plan.uuid)),
    ]
    results = {}
    for label, client, url in pages:
        if url is None:
            print(f"{label}: skipped, its page is not on main yet")
            continue
        results[label] = (url, *measure(client, url, args.repeat))
    _url, _median, base_p95, _queries = results["service page (baseline)"]
    print(f"{'page':26} {'median ms':>10} {'p95 ms':>8} {'p95 × baseline':>15} {'queries':>8}  target ≤ 5×")
    for label, (url, median, p95, queries) in results.items():
        ratio = p95 / base_p95
        verdict = "" if label.endswith("(baseline)") else ("met" if ratio <= 5 else "MISSED")
        print(f"{label:26} {median:10.1f} {p95:8.1f} {ratio:15.1f} {queries:8d}  {verdict}")
        print(f"    {re.sub(r'[0-9a-f]{8}-[0-9a-f-]{27}', '<uuid>', url)}")
    if args.profile:
        for label, client, url in pages[1:]:
            if url is not None:
                print(f"== where one view of the {label} goes")
                profile(client, url)


def profile(client: Client, url: str) -> None:
    """The functions one view of ``url`` spends most time in, cumulatively."""
    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
