"""Activity import at scale: a 10,000,000-row record-level extract imported end to end, against bare polars.

Generates the extract once with the demo's generator (``waymark.monitoring.generator``; CSV, about
600 MB, in ``bench/data/``, reused by later runs), builds a throw-away SQLite database with a region,
5 local authorities and 50 LSOAs and one trust, then runs, each in its own subprocess:

- the import: ``imports.batches.import_path`` — store and hash the upload, read, validate, map codes, aggregate
  events, data quality and distinct people for every roll-up, and write the aggregates;
- the baseline: ``polars.scan_csv(...).group_by(month, area, provider, measure, ethnic code, age, sex)
  .agg(len, n_unique(person))`` on the streaming engine, over the same file.

Each runs ``--repeat`` times (3 by default), in turns, every import on a fresh copy of the database. Prints
each run's time, the median time, rows per second and peak memory (``ru_maxrss`` of the subprocess, from
``os.wait4``; the highest of the runs), and the ratio of the median times. Targets: at least 1,000,000
rows/s, import peak under 2 GB, no more than 2x the baseline's time.

    .venv/bin/python bench/monitoring_import.py [--rows 10000000] [--seed 1]
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
START, END = datetime.date(2020, 4, 1), datetime.date(2025, 3, 31)
PROVIDER_CODE = "RBENCH"
LSOAS_PER_AUTHORITY = 10
AUTHORITIES = 5


def lsoa_codes() -> list[str]:
    return [f"E0190{index:04d}" for index in range(AUTHORITIES * LSOAS_PER_AUTHORITY)]


def extract_path(rows: int, seed: int) -> Path:
    return DATA / f"monitoring_extract_{rows}_{seed}.csv"


def generate(rows: int, seed: int) -> Path:
    from waymark.monitoring.generator import ExtractSpec, write_extract

    path = extract_path(rows, seed)
    if path.exists():
        return path
    # Roughly an inner-London borough's mix (NHS categories), as shares of the population.
    groups = {"A": 37, "B": 2, "C": 15, "D": 1.5, "E": 1, "F": 1.5, "G": 2, "H": 6, "J": 2, "K": 4, "L": 5,
              "M": 5, "N": 9, "P": 2, "R": 2, "S": 5}  # fmt: skip
    spec = ExtractSpec(
        provider_code=PROVIDER_CODE,
        area_codes=lsoa_codes(),
        group_weights=groups,
        start=START,
        end=END,
        rows=rows,
        seed=seed,
        events_per_person=5.0,
    )
    started = time.perf_counter()
    write_extract(spec, path)
    print(f"Generated {rows:,} rows ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")
    return path


def setup_django(var_dir: Path) -> None:
    os.environ["WAYMARK_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waymark.settings")
    os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def build_database(var_dir: Path) -> None:
    """Migrate a fresh database and add the areas and the trust the extract names."""
    setup_django(var_dir)
    from django.core.management import call_command

    from waymark.core.choices import AreaType, OrganisationType
    from waymark.core.models import Area, Organisation

    call_command("migrate", verbosity=0)
    region = Area.objects.create(area_type=AreaType.REGION, code="E12900001", name="Bench region", vintage=2021)
    codes = iter(lsoa_codes())
    for authority_index in range(AUTHORITIES):
        authority = Area.objects.create(
            area_type=AreaType.LOCAL_AUTHORITY,
            code=f"E0990{authority_index:04d}",
            name=f"Bench borough {authority_index}",
            vintage=2021,
            parent=region,
        )
        msoa = Area.objects.create(
            area_type=AreaType.MSOA,
            code=f"E0290{authority_index:04d}",
            name="Bench MSOA",
            vintage=2021,
            parent=authority,
        )
        for _ in range(LSOAS_PER_AUTHORITY):
            code = next(codes)
            Area.objects.create(area_type=AreaType.LSOA, code=code, name=f"Bench {code}", vintage=2021, parent=msoa)
    Organisation.objects.create(name="Bench NHS Trust", org_type=OrganisationType.NHS_TRUST, ods_code=PROVIDER_CODE)


def run_import(var_dir: Path, path: Path) -> dict:
    setup_django(var_dir)
    from waymark.core.models import Organisation
    from waymark.monitoring.choices import ImportKind
    from waymark.monitoring.imports.batches import import_path

    provider = Organisation.objects.get(ods_code=PROVIDER_CODE)
    started = time.perf_counter()
    batch = import_path(path, kind=ImportKind.ACTIVITY, provider=provider, period_start=START, period_end=END)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": batch.rows_read,
        "status": batch.status,
        "figures": batch.figures_written,
        "errors": batch.error_summary[:3],
    }


def run_baseline(path: Path) -> dict:
    import polars as pl

    started = time.perf_counter()
    result = (
        pl.scan_csv(path, infer_schema=False)
        .group_by(
            pl.col("date").str.slice(0, 7).alias("month"),
            "area_code",
            "provider_code",
            "measure",
            "ethnic_code",
            "age",
            "sex",
        )
        .agg(pl.len().alias("events"), pl.col("person_id").n_unique().alias("people"))
        .collect(engine="streaming")
    )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": int(result["events"].sum()), "groups": result.height}


def in_subprocess(mode: str, *args: str) -> tuple[dict, int]:
    """Run this script in ``mode``; returns its JSON result and its peak resident memory in bytes."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--mode", mode, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"The {mode} subprocess failed (status {status}).")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss * 1024  # Linux reports kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, taken in turns; medians are compared")
    parser.add_argument("--mode", choices=["build", "import", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode == "build":
        build_database(args.var_dir)
        return
    if args.mode == "import":
        print(json.dumps(run_import(args.var_dir, args.file)))
        return
    if args.mode == "baseline":
        print(json.dumps(run_baseline(args.file)))
        return

    DATA.mkdir(parents=True, exist_ok=True)
    path = generate(args.rows, args.seed)
    baselines, imports = [], []
    with tempfile.TemporaryDirectory(dir=DATA) as work:
        template = Path(work) / "template"
        # A subprocess of its own, so Django's set-up does not count in the import's peak memory.
        subprocess.run([sys.executable, __file__, "--mode", "build", "--var-dir", str(template)], check=True, cwd=ROOT)
        for run in range(args.repeat):
            # Taken in turns, so a busy spell on the machine slows both alike; each import gets a fresh database.
            baselines.append(in_subprocess("baseline", "--file", str(path)))
            var_dir = Path(work) / f"run{run}"
            shutil.copytree(template, var_dir)
            imports.append(in_subprocess("import", "--var-dir", str(var_dir), "--file", str(path)))
            shutil.rmtree(var_dir)
    for imported, _memory in imports:
        if imported["status"] != "succeeded":
            raise SystemExit(f"The import did not succeed: {imported}")
    imported = imports[0][0]
    rows = imported["rows"]
    import_seconds = statistics.median(result["seconds"] for result, _memory in imports)
    baseline_seconds = statistics.median(result["seconds"] for result, _memory in baselines)
    import_memory = max(memory for _result, memory in imports)
    baseline_memory = max(memory for _result, memory in baselines)
    rate = rows / import_seconds
    ratio = import_seconds / baseline_seconds
    print(f"Rows: {rows:,} ({path.name}); aggregates written: {imported['figures']:,}; runs of each: {args.repeat}")
    print("Import runs (s):   " + ", ".join(f"{result['seconds']:.1f}" for result, _memory in imports))
    print("Baseline runs (s): " + ", ".join(f"{result['seconds']:.1f}" for result, _memory in baselines))
    print(f"Import:   {import_seconds:6.1f} s  {rate:>12,.0f} rows/s  peak {import_memory / 2**30:.2f} GiB")
    print(
        f"Baseline: {baseline_seconds:6.1f} s  {rows / baseline_seconds:>12,.0f} rows/s  "
        f"peak {baseline_memory / 2**30:.2f} GiB  ({baselines[0][0]['groups']:,} groups)"
    )
    print(f"Import time / baseline time: {ratio:.2f}")
    met = rate >= 1_000_000 and import_memory < 2 * 2**30 and ratio <= 2
    print(
        "Targets (>= 1,000,000 rows/s, < 2 GB, <= 2x baseline): "
        + ("met" if met else "NOT met")
        + f" [rows/s {'ok' if rate >= 1_000_000 else 'low'}, memory {'ok' if import_memory < 2 * 2**30 else 'high'}, "
        f"ratio {'ok' if ratio <= 2 else 'high'}]"
    )


if __name__ == "__main__":
    main()
