"""The demo borough's monitoring data: census denominators and three years of activity for two trusts.

Everything goes through the same import service as an uploaded file: core's census-style population
file, then one synthetic record-level extract per trust and financial year from ``generator`` (the
benchmark's generator), with local sub-categories in use at one trust. The extracts show the published
pattern of disproportionality and imperfect ethnic coding (completeness about 88-93%). Years are the
last three complete financial years before today; everything else comes from ``rng``. England's benchmark is
``demo_data/mha_annual_figures_synthetic.csv``, a small file in NHS England's published format whose figures
are all synthetic, loaded through the same service as the upload page.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.demo import Persona
from waymark.core.choices import OrganisationType
from waymark.core.models import EthnicGroup
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY
from waymark.core.roles import Role
from waymark.monitoring.choices import ImportKind, ImportStatus
from waymark.monitoring.codes import ONS_2021_TO_NHS
from waymark.monitoring.dashboards import providers_with_figures
from waymark.monitoring.generator import ExtractSpec, write_extract
from waymark.monitoring.imports.batches import import_path
from waymark.monitoring.models import LocalSubCategory

YEARS = 3
NATIONAL_DEMO_FILE = Path(__file__).parent / "demo_data" / "mha_annual_figures_synthetic.csv"
NATIONAL_DEMO_YEAR = "2024-25"
# Records per trust per financial year, and each trust's share of records with a stated ethnic code.
ROWS_PER_YEAR = {"small": 4_000, "full": 30_000}
TRUST_PROFILES = [(1.0, 0.93), (0.6, 0.88)]  # (relative size, completeness)
# Locally agreed sub-categories: (parent NHS code, local code, label, share of the parent's records).
SUB_CATEGORIES = [
    ("N", "NSO", "Somali", 0.35),
    ("N", "NNG", "Nigerian", 0.25),
    ("C", "CPO", "Polish", 0.30),
    ("C", "CTU", "Turkish", 0.15),
]


class DemoMonitoringError(Exception):
    """A demo import failed; the message carries the batch's first errors."""


def financial_years(today: datetime.date, count: int) -> list[int]:
    """Start years of the last ``count`` complete financial years before ``today``, oldest first."""
    current = today.year if today.month >= 4 else today.year - 1
    return list(range(current - count, current))


def _population_shares(csv_path: Path) -> tuple[dict[str, float], dict[str, float]]:
    """People per NHS category and per area code, read from the census-style file."""
    frame = pl.read_csv(csv_path, schema_overrides={"ethnic_group_code": pl.String, "count": pl.Int64})
    by_code = frame.group_by("ethnic_group_code").agg(pl.col("count").sum())
    groups: dict[str, float] = defaultdict(float)
    for code, count in by_code.iter_rows():
        groups[ONS_2021_TO_NHS[str(code)]] += count
    by_area = frame.group_by("area_code").agg(pl.col("count").sum()).sort("area_code")
    return dict(groups), dict(by_area.iter_rows())


def _check(batch: Any) -> None:
    if batch.status != ImportStatus.SUCCEEDED:
        raise DemoMonitoringError(f"The demo import of {batch.file_name} failed: {batch.errors[:3]}")


DEMO_METHODS_NOTE = """\
Synthetic demonstration figures: no real person is counted.

- **Counts** are distinct people living in the borough who had each kind of care from the trust in the
  financial year, from the trust's activity records. People whose ethnic group was not stated or not
  known are not in any group; see the trust's coding completeness.
- **Rates** are per 100,000 residents of the same ethnic group (2021 census), with 95% intervals by
  Byar's method (exact Poisson below 10 people).
- **Rate ratios** compare each group with White British and with all other groups together, with
  log-normal intervals; a ratio is marked higher or lower only when its whole interval is above or below 1.
- **Disclosure control**: counts from 1 to 7 are suppressed and others rounded to the nearest 5, with
  further suppression where a hidden count could be worked out. Rates use the published counts.
"""


def seed(
    *,
    rng: Any,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """Load the population, create the local sub-categories, then import each trust's yearly extracts."""
    trusts = sorted(
        (org for org in context["organisations_by_type"].get(OrganisationType.NHS_TRUST, []) if org.ods_code),
        key=lambda org: org.ods_code,
    )[: len(TRUST_PROFILES)]
    years = financial_years(timezone.localdate(), YEARS)
    steps = 1 + len(trusts) * len(years)
    progress(0, steps, "Importing the census population")
    population = import_path(
        Path(context["population_csv"]), kind=ImportKind.POPULATION, actor=actor, population_year=2021
    )
    _check(population)

    for parent, code, label, _share in SUB_CATEGORIES:
        LocalSubCategory.objects.get_or_create(
            parent=EthnicGroup.objects.get(code_set__slug=NHS_ETHNIC_CATEGORY, code=parent),
            code=code,
            defaults={"label": label},
        )
    group_weights, area_weights = _population_shares(Path(context["population_csv"]))
    folder = Path(settings.VAR_DIR) / "demo" / "monitoring"
    batches = []
    step = 1
    for trust, (relative_size, completeness) in zip(trusts, TRUST_PROFILES, strict=False):
        for year in years:
            progress(step, steps, f"Importing {trust.name}'s activity for April {year} to March {year + 1}")
            start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
            spec = ExtractSpec(
                provider_code=trust.ods_code,
                area_codes=list(area_weights),
                area_weights=list(area_weights.values()),
                group_weights=group_weights,
                start=start,
                end=end,
                rows=int(ROWS_PER_YEAR[size] * relative_size),
                completeness=completeness,
                seed=rng.randrange(2**31),
                sub_categories=[(p, c, s) for p, c, _label, s in SUB_CATEGORIES] if trust == trusts[0] else [],
            )
            path = write_extract(spec, folder / f"activity-{trust.ods_code}-{year}.csv")
            batch = import_path(
                path, kind=ImportKind.ACTIVITY, actor=actor, provider=trust, period_start=start, period_end=end
            )
            _check(batch)
            batches.append(batch)
            step += 1
    from waymark.monitoring.models import NationalRelease
    from waymark.monitoring.services.national import import_national_mha

    # England's figures first, so the snapshot can show them beside the trust's
    national = NationalRelease.objects.filter(year=NATIONAL_DEMO_YEAR).first() or import_national_mha(
        actor=actor, source=NATIONAL_DEMO_FILE, year=NATIONAL_DEMO_YEAR
    )
    # published snapshot (pages helper): the first trust's latest year, as its analysts would publish it
    if trusts:
        from waymark.monitoring import dashboards
        from waymark.monitoring.services import publishing

        latest_year = dashboards.years_for(trusts[0])[0]
        publishing.publish_snapshot(
            actor=actor,
            provider=trusts[0],
            area=context["borough"],
            year=latest_year,
            title=f"{trusts[0].name}: Mental Health Act, restrictive practice and access by ethnic group",
            methods_note=DEMO_METHODS_NOTE,
            include_national=True,
            check_access=False,
        )
    progress(steps, steps, "Monitoring data loaded")
    context["monitoring_batches"] = batches
    context["monitoring_trusts"] = trusts
    return {
        "population_figures": population.figures_written,
        "activity_batches": len(batches),
        "activity_records": sum(batch.rows_read for batch in batches),
        "providers": [org.ods_code for org in trusts],
        "national_figures": national.figures.count(),
    }


def personas() -> list[Persona]:
    """The demo analyst (``accounts.demo``), for the first trust with activity figures in the order the hook
    above imports them (by ODS code): its dashboard without disclosure control."""
    trust = providers_with_figures().filter(org_type=OrganisationType.NHS_TRUST).order_by("ods_code").first()
    if trust is None:
        return []
    url = reverse("monitoring:provider_dashboard", args=[trust.uuid])
    return [
        Persona(
            "demo-analyst",
            "Ana Example",
            Role.ANALYST,
            trust,
            f"the trust's monitoring dashboard without disclosure control, at {settings.SITE_URL}{url}",
        )
    ]
