"""360Giving export at scale: 100,000 awards written as JSON and XLSX, against a bare ``json.dumps``.

Builds a throw-away SQLite database with one published programme and 100,000 awards (bulk-created: a fifth to
unregistered groups with a minted identifier, a tenth with an LSOA served, half part-paid), then measures, in
this one run:

- export JSON: ``open_data.write_json`` to a file, end to end (reading the awards in chunks, building each
  grant, encoding it and writing it);
- writer only: the same writer given the grants already built;
- baseline: ``json.dumps`` of a package holding the same dictionaries (built beforehand, not timed);
- export XLSX: ``open_data.xlsx_bytes`` end to end.

Each is timed ``--repeat`` times (median printed) and then run once more under ``tracemalloc`` for its peak
memory (for the baseline, on top of the dictionaries it is given, which it needs and the export does not).
Targets: the JSON export within 3x the baseline's time, and every peak under 1 GB.

    .venv/bin/python bench/grants_export.py [--awards 100000] [--repeat 3]
"""

import argparse
import datetime
import io
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import cast

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
from django.db import transaction  # noqa: E402

from waymark.core.choices import AreaType, OrganisationType  # noqa: E402
from waymark.core.models import Area, Organisation  # noqa: E402
from waymark.grants import open_data  # noqa: E402
from waymark.grants.choices import ApplicationStatus, DecisionOutcome, DeiReply, IdentifierScheme  # noqa: E402
from waymark.grants.factories import ProgrammeFactory  # noqa: E402
from waymark.grants.models import Application, GrantDecision, Payment, Programme, RecipientIdentifier  # noqa: E402

GROUPS = 5_000
BATCH = 5_000
MB = 1024 * 1024


def build(awards: int) -> None:
    programme = cast(Programme, ProgrammeFactory(code="bench-seed", budget=Decimal(awards) * 5000, with_parts=False))
    areas = Area.objects.bulk_create(
        Area(area_type=AreaType.LSOA, code=f"E0190{index:04d}", name=f"Bench {index:03d}A", vintage=2021)
        for index in range(50)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench group {index}",
            org_type=OrganisationType.CHARITY if index % 5 else OrganisationType.COMMUNITY_GROUP,
            charity_number=f"11{index:05d}" if index % 5 else "",
            postcode="ZX1 1AA",
        )
        for index in range(GROUPS)
    )
    RecipientIdentifier.objects.bulk_create(
        RecipientIdentifier(
            organisation=organisation,
            scheme=IdentifierScheme.MINTED,
            identifier=f"360G-waymark-ORG-{index:05d}",
        )
        for index, organisation in enumerate(organisations)
        if index % 5 == 0
    )
    start = datetime.date(2024, 4, 1)
    for first in range(0, awards, BATCH):
        numbers = range(first, min(first + BATCH, awards))
        applications = Application.objects.bulk_create(
            Application(
                reference=f"BENCH-{number:06d}",
                programme=programme,
                status=ApplicationStatus.AWARDED,
                contact_name="Bench",
                contact_email=f"bench{number}@example.org",
                organisation=organisations[number % GROUPS],
                organisation_name=organisations[number % GROUPS].name,
                project_title=f"Wellbeing circle {number}",
                project_summary="Weekly peer support in the community's own language, with a shared meal.",
                amount_requested=Decimal(2500),
                starts_on=start,
                ends_on=start + datetime.timedelta(days=364),
                beneficiary_area=areas[number % 50] if number % 10 == 0 else None,
                dei_reply=DeiReply.REPLY,
                dei_codes=["DEI010110"],
                dei_may_publish=number % 2 == 0,
            )
            for number in numbers
        )
        decisions = GrantDecision.objects.bulk_create(
            GrantDecision(
                application=application,
                outcome=DecisionOutcome.AWARD,
                amount_awarded=Decimal(2000),
                reason="Bench",
                grant_identifier=f"360G-waymark-{application.reference}",
                award_date=datetime.date(2024, 3, 1),
                starts_on=application.starts_on,
                ends_on=application.ends_on,
            )
            for application in applications
        )
        Payment.objects.bulk_create(
            Payment(decision=decision, amount=Decimal(1000), due_on=start, paid_on=start)
            for index, decision in enumerate(decisions)
            if index % 2 == 0
        )


def timed(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak(call: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    call()
    _current, highest = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return highest / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awards", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        build(args.awards)
    print(f"Built {args.awards:,} awards in {time.perf_counter() - started:.1f} s", flush=True)

    out = DATA / "grants_export.json"

    def export_json() -> None:
        with out.open("w", encoding="utf-8") as stream:
            open_data.write_json(stream)

    grants = list(open_data.iter_grants(open_data.published_awards()))
    assert len(grants) == args.awards, len(grants)
    package = {**open_data.package_metadata(), "grants": grants}

    def writer_only() -> None:
        with out.open("w", encoding="utf-8") as stream:
            open_data.write_json(stream, grants=grants)

    def baseline() -> None:
        with out.open("w", encoding="utf-8") as stream:
            stream.write(json.dumps(package, ensure_ascii=False))

    def export_xlsx() -> None:
        io.BytesIO(open_data.xlsx_bytes())

    results = []
    for name, call, repeat in (
        ("bare json.dumps (baseline)", baseline, args.repeat),
        ("export JSON (from the database)", export_json, args.repeat),
        ("writer only (grants given)", writer_only, args.repeat),
        ("export XLSX (from the database)", export_xlsx, 1),
    ):
        seconds = timed(call, repeat)
        memory = peak(call)
        results.append((name, seconds, memory))
        print(f"{name:34} {seconds:8.2f} s   peak {memory:8.1f} MB", flush=True)

    base = results[0][1]
    export = results[1][1]
    print(f"JSON export / bare dump: {export / base:.2f}x (target within 3x)")
    print(f"Writer only / bare dump: {results[2][1] / base:.2f}x")
    print(f"JSON file: {out.stat().st_size / MB:.1f} MB; every peak under 1 GB: {all(m < 1024 for *_, m in results)}")
    validated = open_data.validate_package({**package, "grants": grants[:1000]})
    print(f"First 1,000 grants validate against the schema: {validated == []}")


if __name__ == "__main__":
    main()
