"""The demo borough: Riverside, a fictional inner-city London borough, and the hooks that fill it.

``seed_demo_task`` runs every Waymark app's ``<app>.demo.seed(*, rng, size, actor, progress, context)``
hook, core first and then in INSTALLED_APPS order, so later apps can build on what earlier ones put
in ``context``; accounts' hook runs last, because its demo people are granted on what the others made.
A ``demo`` module may also define ``personas()``, the demo people its pages are for (``accounts.demo``
makes them), and ``announce(summary)``, a line ``manage.py seed_demo`` prints for whoever loads the demo.
Core's hook (``seed`` below) builds the geography, postcodes, a census-shaped population file and the
organisations, and leaves in ``context``:

- ``region``, ``borough``, ``icb_area``, ``sub_icb_area``: Area rows
- ``msoas``, ``lsoas``, ``wards``: lists of Area rows; ``postcodes``: list of Postcode rows
- ``organisations``: {key: Organisation}, keys as in ``demo_data.organisations``
- ``organisations_by_type``: {OrganisationType value: [Organisation, ...]}
- ``organisation_profiles``: {key: {"communities": [Community names], "languages": [ISO 639-3 codes]}}
- ``population_csv``: Path of the census-style population file

Everything is derived from the seed (``random.Random``), so a seed always gives the same borough:
same names, codes, postcodes, organisation UUIDs and population counts. Only timestamps differ.
"""

import csv
import importlib
import importlib.util
import logging
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import transaction
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from waymark.core import reference_data
from waymark.core.choices import AreaType
from waymark.core.demo_data import places
from waymark.core.demo_data.organisations import ORGANISATIONS
from waymark.core.jobs import job_task
from waymark.core.models import Area, Job, Organisation, Postcode, Sector

logger = logging.getLogger(__name__)

POPULATION_CSV_NAME = "riverside_population_2021.csv"
POPULATION_COLUMNS = ["area_code", "area_name", "ethnic_group_code", "ethnic_group", "age_band", "sex", "count"]
AGE_BANDS = [f"{start}-{start + 4}" for start in range(0, 85, 5)] + ["85+"]
SEXES = ("Female", "Male")
_SIX_PLACES = Decimal("0.000001")


class DemoError(Exception):
    """The demo cannot be loaded into this database; the message says why."""


@dataclass(frozen=True)
class DemoSize:
    msoas: int
    lsoas: int
    wards: int
    postcodes: int
    population: int
    all_organisations: bool


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(msoas=3, lsoas=8, wards=4, postcodes=60, population=25_000, all_organisations=False),
    "full": DemoSize(msoas=8, lsoas=40, wards=12, postcodes=600, population=280_000, all_organisations=True),
}


# --- Plans: what the borough contains, built without touching the database -------------------------


@dataclass(frozen=True)
class AreaPlan:
    area_type: str
    code: str
    name: str
    vintage: int
    parent_code: str | None = None
    ward_code: str | None = None
    centre: tuple[float, float] | None = None
    msoa_index: int = 0


@dataclass(frozen=True)
class PostcodePlan:
    postcode: str
    latitude: Decimal
    longitude: Decimal
    lsoa_code: str
    ward_code: str


@dataclass(frozen=True)
class PopulationRow:
    area_code: str
    area_name: str
    ethnic_group_code: str
    ethnic_group: str
    age_band: str
    sex: str
    count: int


@dataclass(frozen=True)
class OrganisationPlan:
    key: str
    uuid: uuid.UUID
    fields: dict[str, Any]
    sectors: tuple[str, ...]
    communities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoroughPlan:
    areas: list[AreaPlan]
    postcodes: list[PostcodePlan]
    population: list[PopulationRow]
    organisations: list[OrganisationPlan] = field(default_factory=list)

    @property
    def population_total(self) -> int:
        return sum(row.count for row in self.population)


def build_borough(rng: random.Random, size: str) -> BoroughPlan:
    """Everything the demo borough holds, decided by ``rng`` alone."""
    dimensions = SIZES[size]
    areas = build_areas(rng, dimensions)
    postcodes = build_postcodes(rng, areas, dimensions)
    population = build_population(rng, areas, dimensions)
    organisations = build_organisations(rng, postcodes, dimensions)
    return BoroughPlan(areas=areas, postcodes=postcodes, population=population, organisations=organisations)


def build_areas(rng: random.Random, dimensions: DemoSize) -> list[AreaPlan]:
    """Region, local authority, ICB and sub-ICB, then MSOAs, wards and LSOAs, parents before children.

    LSOAs are laid out on a snaking grid around the borough centre, so neighbouring LSOAs share an
    MSOA and a best-fit ward, as they do on a real map.
    """
    region_code, region_name = places.REGION
    la_code, la_name = places.LOCAL_AUTHORITY
    areas = [
        AreaPlan(AreaType.REGION, region_code, region_name, places.CENSUS_VINTAGE),
        AreaPlan(AreaType.LOCAL_AUTHORITY, la_code, la_name, places.CENSUS_VINTAGE, parent_code=region_code),
        AreaPlan(AreaType.ICB, *places.ICB, places.HEALTH_VINTAGE),
        AreaPlan(AreaType.SUB_ICB, *places.SUB_ICB, places.HEALTH_VINTAGE),
    ]
    msoas = [
        AreaPlan(
            AreaType.MSOA,
            f"{places.MSOA_CODE_PREFIX}{n:03d}",
            f"{la_name} {n:03d}",
            places.CENSUS_VINTAGE,
            parent_code=la_code,
        )
        for n in range(1, dimensions.msoas + 1)
    ]
    wards = [
        AreaPlan(AreaType.WARD, f"{places.WARD_CODE_PREFIX}{n:03d}", places.WARD_NAMES[n - 1], places.WARD_VINTAGE)
        for n in range(1, dimensions.wards + 1)
    ]
    columns = max(1, round(dimensions.lsoas**0.5))
    rows = -(-dimensions.lsoas // columns)
    centre_lat, centre_lon = places.CENTRE
    lsoas = []
    letters_used: dict[int, int] = defaultdict(int)
    for i in range(dimensions.lsoas):
        msoa_index = i * dimensions.msoas // dimensions.lsoas
        ward_index = i * dimensions.wards // dimensions.lsoas
        row, column = divmod(i, columns)
        if row % 2:
            column = columns - 1 - column
        latitude = centre_lat - places.SPREAD + (row + 0.5) * 2 * places.SPREAD / rows
        longitude = centre_lon - places.SPREAD + (column + 0.5) * 2 * places.SPREAD / columns
        jitter = places.SPREAD / (3 * max(rows, columns))
        msoa = msoas[msoa_index]
        letter = chr(ord("A") + letters_used[msoa_index])
        letters_used[msoa_index] += 1
        lsoas.append(
            AreaPlan(
                AreaType.LSOA,
                f"{places.LSOA_CODE_PREFIX}{i + 1:03d}",
                f"{msoa.name}{letter}",
                places.CENSUS_VINTAGE,
                parent_code=msoa.code,
                ward_code=wards[ward_index].code,
                centre=(latitude + rng.uniform(-jitter, jitter), longitude + rng.uniform(-jitter, jitter)),
                msoa_index=msoa_index,
            )
        )
    return areas + msoas + wards + lsoas


_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code


def build_postcodes(rng: random.Random, areas: list[AreaPlan], dimensions: DemoSize) -> list[PostcodePlan]:
    """Postcodes spread evenly over the LSOAs; each MSOA has its own district, RV1 to RV9."""
    lsoas = [area for area in areas if area.area_type == AreaType.LSOA]
    seen: set[str] = set()
    postcodes = []
    for index, lsoa in enumerate(lsoas):
        assert lsoa.centre is not None and lsoa.ward_code is not None
        count = dimensions.postcodes // len(lsoas) + (index < dimensions.postcodes % len(lsoas))
        district = f"{places.POSTCODE_AREA}{lsoa.msoa_index % 9 + 1}"
        for _ in range(count):
            postcode = ""
            while not postcode or postcode in seen:
                postcode = f"{district} {rng.randint(0, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
            seen.add(postcode)
            postcodes.append(
                PostcodePlan(
                    postcode=postcode,
                    latitude=Decimal(lsoa.centre[0] + rng.uniform(-0.004, 0.004)).quantize(_SIX_PLACES),
                    longitude=Decimal(lsoa.centre[1] + rng.uniform(-0.004, 0.004)).quantize(_SIX_PLACES),
                    lsoa_code=lsoa.code,
                    ward_code=lsoa.ward_code,
                )
            )
    return postcodes


# Weights for the 18 five-year age bands (0-4 … 85+): plausible shapes, not census figures.
AGE_PROFILES: dict[str, list[float]] = {
    # Long-settled White British population of an inner-London borough.
    "settled": [6, 5, 5, 5, 8, 12, 12, 9, 7, 6, 6, 5.5, 4.5, 3.5, 3, 2, 1.3, 1.2],
    # Families: many children, few older people (Bangladeshi, Pakistani, Black African, Arab…).
    "young_families": [9, 9, 9, 9, 9, 9, 8.5, 7.5, 6.5, 5.5, 4.5, 3.5, 3, 2.5, 1.8, 1.2, 0.8, 0.5],
    # Mixed groups: the youngest age structure of all.
    "children": [12, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3.5, 3, 2.5, 2, 1.5, 1, 0.5, 0.3],
    # Recent working-age migration (Other White, Chinese, Indian, Other Asian…).
    "working_age": [5, 4, 4, 4, 9, 14, 14, 11, 8, 6, 5, 4, 3, 2.5, 2, 1.5, 1, 0.8],
    # Older settled migration (Irish, Caribbean).
    "older": [2, 2, 2.5, 3, 4, 5, 5.5, 5.5, 5.5, 6, 7.5, 8.5, 9, 8.5, 7.5, 6.5, 5.5, 5],
}

# ONS 2021 code → (share of the borough in %, clustering, age profile). Lower clustering means the
# group is concentrated in fewer LSOAs, as Bangladeshi or Gypsy and Traveller communities often are.
ETHNIC_MIX: dict[str, tuple[float, float, str]] = {
    "1": (6.0, 1.5, "young_families"),
    "2": (2.0, 4, "working_age"),
    "3": (4.0, 4, "working_age"),
    "4": (3.0, 2, "young_families"),
    "5": (3.5, 4, "working_age"),
    "6": (9.0, 3, "young_families"),
    "7": (6.0, 4, "older"),
    "8": (3.0, 4, "young_families"),
    "9": (1.6, 8, "children"),
    "10": (1.2, 8, "children"),
    "11": (2.2, 6, "children"),
    "12": (2.0, 8, "children"),
    "13": (35.0, 12, "settled"),
    "14": (2.0, 8, "older"),
    "15": (0.3, 0.8, "young_families"),
    "16": (0.3, 1, "young_families"),
    "17": (14.0, 8, "working_age"),
    "18": (1.5, 2, "young_families"),
    "19": (3.0, 4, "working_age"),
}

# Share of each age band that is female: women live longer.
FEMALE_SHARE = [0.49] * 4 + [0.5] * 9 + [0.52, 0.53, 0.55, 0.58, 0.65]


def build_population(rng: random.Random, areas: list[AreaPlan], dimensions: DemoSize) -> list[PopulationRow]:
    """A census-shaped count for every LSOA, ONS 2021 ethnic group, age band and sex, zeros included."""
    lsoas = [area for area in areas if area.area_type == AreaType.LSOA]
    groups = next(s for s in reference_data.ETHNIC_CODE_SETS if s["slug"] == reference_data.ONS_2021)["groups"]
    profiles = {name: [w / sum(weights) for w in weights] for name, weights in AGE_PROFILES.items()}
    weights = [rng.uniform(0.85, 1.15) for _ in lsoas]
    rows = []
    for lsoa, weight in zip(lsoas, weights, strict=True):
        lsoa_total = dimensions.population * weight / sum(weights)
        raw_shares = {}
        for code, *_ in groups:
            share, clustering, _profile = ETHNIC_MIX[code]
            raw_shares[code] = share * rng.gammavariate(clustering, 1 / clustering)
        scale = sum(raw_shares.values())
        for code, label, *_ in groups:
            group_total = lsoa_total * raw_shares[code] / scale
            age_profile = profiles[ETHNIC_MIX[code][2]]
            for band_index, band in enumerate(AGE_BANDS):
                band_total = group_total * age_profile[band_index]
                for sex in SEXES:
                    female = FEMALE_SHARE[band_index]
                    expected = band_total * (female if sex == "Female" else 1 - female)
                    # Round up with probability equal to the fraction, so totals stay unbiased.
                    count = int(expected) + (rng.random() < expected - int(expected))
                    rows.append(PopulationRow(lsoa.code, lsoa.name, code, label, band, sex, count))
    return rows


def _slug(key: str) -> str:
    return key.replace("_", "-")


def build_organisations(
    rng: random.Random, postcodes: list[PostcodePlan], dimensions: DemoSize
) -> list[OrganisationPlan]:
    """The statutory bodies and community organisations, with synthetic but well-formed contact details."""
    specs = [spec for spec in ORGANISATIONS if dimensions.all_organisations or spec.get("small")]
    phone_numbers = rng.sample(range(1000), len(specs))
    plans = []
    for spec, phone_number in zip(specs, phone_numbers, strict=True):
        missing = set(spec.get("missing", ()))
        slug = _slug(spec["key"])
        postcode = rng.choice(postcodes).postcode
        fields = {
            "name": spec["name"],
            "alternate_name": spec.get("alternate_name", ""),
            "description": spec["description"],
            "org_type": spec["org_type"],
            "ods_code": spec.get("ods_code", ""),
            "charity_number": f"9{rng.randrange(10**6):06d}" if spec.get("registered") == "charity" else "",
            "company_number": f"99{rng.randrange(10**6):06d}" if spec.get("registered") == "company" else "",
            "address_line_1": f"{rng.randint(1, 199)} {rng.choice(places.STREET_NAMES)}",
            "address_line_2": spec.get("venue", ""),
            "town": places.TOWN,
            "postcode": postcode,
            "website": f"https://{slug}.example.org/",
            "phone": f"020 7946 0{phone_number:03d}",
            "email": f"{slug}@example.org",
            "active": spec.get("active", True),
        }
        if "address" in missing:
            fields.update(address_line_1="", address_line_2="", postcode="")
        for name in missing & {"website", "phone", "email"}:
            fields[name] = ""
        plans.append(
            OrganisationPlan(
                key=spec["key"],
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                fields=fields,
                sectors=tuple(spec["sectors"]),
                communities=tuple(spec.get("communities", ())),
                languages=tuple(spec.get("languages", ())),
            )
        )
    return plans


# --- Saving the plan ---------------------------------------------------------------------------------


def demo_borough_exists() -> bool:
    """Whether Riverside is already in this database (the demo loads once)."""
    code, _name = places.LOCAL_AUTHORITY
    return Area.objects.filter(area_type=AreaType.LOCAL_AUTHORITY, code=code).exists()


def _save_areas(plans: list[AreaPlan], actor: Any) -> dict[str, Area]:
    """Audited bulk inserts, one tier at a time so each tier can point at the one above."""
    saved: dict[str, Area] = {}
    tiers = [
        [AreaType.REGION, AreaType.ICB, AreaType.SUB_ICB],
        [AreaType.LOCAL_AUTHORITY],
        [AreaType.MSOA, AreaType.WARD],
        [AreaType.LSOA],
    ]
    for tier in tiers:
        objects = [
            Area(
                area_type=plan.area_type,
                code=plan.code,
                name=plan.name,
                vintage=plan.vintage,
                parent=saved[plan.parent_code] if plan.parent_code else None,
                best_fit_ward=saved[plan.ward_code] if plan.ward_code else None,
            )
            for plan in plans
            if plan.area_type in tier
        ]
        for area in bulk_create_with_history(objects, Area, batch_size=500, default_user=actor):
            saved[area.code] = area
    return saved


def _save_postcodes(plans: list[PostcodePlan], areas: dict[str, Area]) -> list[Postcode]:
    objects = [
        Postcode(
            postcode=plan.postcode,
            district=plan.postcode.split(" ")[0],
            latitude=plan.latitude,
            longitude=plan.longitude,
            lsoa=areas[plan.lsoa_code],
            ward=areas[plan.ward_code],
        )
        for plan in plans
    ]
    return Postcode.objects.bulk_create(objects, batch_size=1000)


def _save_organisations(plans: list[OrganisationPlan], actor: Any) -> dict[str, Organisation]:
    """Audited bulk insert. The history rows include each organisation's sectors, as a single save would.

    Not ``services.create_organisation()``: it takes no UUID, and the demo's must come from the seed.
    """
    wanted = {slug for plan in plans for slug in plan.sectors}
    sectors = {sector.slug: sector for sector in Sector.objects.filter(slug__in=wanted)}
    if missing := wanted - sectors.keys():
        raise DemoError(f"The reference data is missing sectors {', '.join(sorted(missing))}: run migrate first.")
    unsaved = [Organisation(uuid=plan.uuid, **plan.fields) for plan in plans]
    for organisation in unsaved:
        organisation.full_clean()  # the same checks create_organisation() makes
    organisations = Organisation.objects.bulk_create(unsaved, batch_size=500)
    through = Organisation.sectors.through
    links = through.objects.bulk_create(
        [
            through(organisation=organisation, sector=sectors[slug])
            for plan, organisation in zip(plans, organisations, strict=True)
            for slug in plan.sectors
        ],
        batch_size=1000,
    )
    history = Organisation.history.bulk_history_create(organisations, batch_size=500, default_user=actor)
    history_by_organisation = {record.id: record for record in history}
    sectors_history = HistoricalRecords.m2m_models[Organisation._meta.get_field("sectors")]
    sectors_history.objects.bulk_create(
        [
            sectors_history(
                history=history_by_organisation[link.organisation_id],
                id=link.id,
                organisation_id=link.organisation_id,
                sector_id=link.sector_id,
            )
            for link in links
        ],
        batch_size=1000,
    )
    return {plan.key: organisation for plan, organisation in zip(plans, organisations, strict=True)}


def write_population_csv(rows: list[PopulationRow], path: Path) -> Path:
    """Write the census-style population file, replacing any earlier one only once it is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(POPULATION_COLUMNS)
        writer.writerows(
            (r.area_code, r.area_name, r.ethnic_group_code, r.ethnic_group, r.age_band, r.sex, r.count) for r in rows
        )
    partial.replace(path)
    return path


def seed(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, Any]:
    """Core's demo hook: build Riverside and put what later apps need into ``context``."""
    if demo_borough_exists():
        raise DemoError("The demo borough is already loaded. Start from an empty database to load it again.")
    steps = 4
    progress(0, steps, "Planning the borough")
    plan = build_borough(rng, size)
    progress(0, steps, f"Saving {len(plan.areas)} areas")
    areas = _save_areas(plan.areas, actor)
    progress(1, steps, f"Saving {len(plan.postcodes)} postcodes")
    postcodes = _save_postcodes(plan.postcodes, areas)
    progress(2, steps, f"Writing the population file ({plan.population_total:,} people)")
    csv_path = write_population_csv(plan.population, Path(settings.VAR_DIR) / "demo" / POPULATION_CSV_NAME)
    progress(3, steps, f"Saving {len(plan.organisations)} organisations")
    organisations = _save_organisations(plan.organisations, actor)
    progress(steps, steps, "Riverside is ready")

    by_type: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in organisations.values():
        by_type[organisation.org_type].append(organisation)
    by_kind: dict[str, list[Area]] = defaultdict(list)
    for area in areas.values():
        by_kind[area.area_type].append(area)
    context.update(
        region=by_kind[AreaType.REGION][0],
        borough=by_kind[AreaType.LOCAL_AUTHORITY][0],
        icb_area=by_kind[AreaType.ICB][0],
        sub_icb_area=by_kind[AreaType.SUB_ICB][0],
        msoas=by_kind[AreaType.MSOA],
        lsoas=by_kind[AreaType.LSOA],
        wards=by_kind[AreaType.WARD],
        postcodes=postcodes,
        organisations=organisations,
        organisations_by_type=dict(by_type),
        organisation_profiles={
            plan.key: {"communities": list(plan.communities), "languages": list(plan.languages)}
            for plan in plan.organisations
        },
        population_csv=csv_path,
    )
    return {
        "areas": len(areas),
        "postcodes": len(postcodes),
        "organisations": len(organisations),
        "population": plan.population_total,
        "population_csv": str(csv_path),
    }


# --- Running every app's hook ------------------------------------------------------------------------

DemoHook = Callable[..., dict[str, Any] | None]


def demo_modules() -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app config, ``demo`` module) for each Waymark app that has one: core first, accounts last (its demo
    people are granted on the other apps' records), the rest in INSTALLED_APPS order."""
    place = {"waymark.core": 0, "waymark.accounts": 2}
    configs = sorted(apps.get_app_configs(), key=lambda config: place.get(config.name, 1))
    for config in configs:
        if not config.name.startswith("waymark."):
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        yield config, importlib.import_module(module_name)


def demo_hooks() -> Iterator[tuple[str, str, DemoHook]]:
    """(app label, app name, seed function) for each Waymark app whose ``demo`` module has a ``seed`` hook."""
    for config, module in demo_modules():
        hook = getattr(module, "seed", None)
        if callable(hook):
            yield config.label, str(config.verbose_name), hook


def announcements(result: dict[str, Any] | None) -> list[str]:
    """What each app's ``demo.announce(summary)`` has to say to whoever loads the demo: ``result`` is the
    finished job's (each app's summary under its label), or None when the job was only queued."""
    lines = []
    for config, module in demo_modules():
        announce = getattr(module, "announce", None)
        if callable(announce) and (line := announce(None if result is None else result.get(config.label, {}))):
            lines.append(line)
    return lines


class _HookProgress:
    """Maps one hook's own steps onto its share of the whole job, and logs each new message."""

    scale = 100

    def __init__(self, progress: Callable[[int, int, str], None], index: int, count: int, app_name: str) -> None:
        self.progress = progress
        self.index = index
        self.count = count
        self.app_name = app_name
        self.last_message = ""

    def __call__(self, current: int, total: int, message: str = "") -> None:
        done = self.scale * min(current, total) // total if total else 0
        text = f"{self.app_name}: {message}" if message else self.app_name
        self.progress(self.index * self.scale + done, self.count * self.scale, text)
        if message and message != self.last_message:
            logger.info("%s", text)
            self.last_message = message


def hook_rng(seed: int, app_label: str) -> random.Random:
    """Each app gets its own stream, so adding an app's demo never changes another app's data."""
    return random.Random(f"waymark-demo:{seed}:{app_label}")


@job_task
def seed_demo_task(
    *, job: Job, progress: Callable[[int, int, str], None], seed: int = 1, size: str = "full"
) -> dict[str, Any]:
    """Load the demo borough: every app's hook in turn, each in its own transaction."""
    if size not in SIZES:
        raise DemoError(f"Unknown demo size {size!r}: choose {' or '.join(SIZES)}.")
    hooks = list(demo_hooks())
    context: dict[str, Any] = {"seed": seed, "size": size}
    result: dict[str, Any] = {"seed": seed, "size": size}
    for index, (label, app_name, hook) in enumerate(hooks):
        # One transaction per app keeps SQLite's write lock short and lets progress show between apps.
        with transaction.atomic():
            summary = hook(
                rng=hook_rng(seed, label),
                size=size,
                actor=job.created_by,
                progress=_HookProgress(progress, index, len(hooks), app_name),
                context=context,
            )
        result[label] = summary or {}
    return result
