"""Fixed vocabularies of the monitoring app: measures, sexes, age bands, periods and import states."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """What an activity record counts. The PCREF measures plus the access measures."""

    REFERRAL = "referral", _("Referral")
    FIRST_CONTACT = "first_contact", _("First contact")
    ADMISSION = "admission", _("Admission")
    MHA_DETENTION = "mha_detention", _("Mental Health Act detention")
    CTO = "cto", _("Community treatment order")
    RESTRAINT = "restraint", _("Restraint")
    SECLUSION = "seclusion", _("Seclusion")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not known")


# Census five-year bands "0-4" … "80-84", "85+" (as in core.demo's census file), then "unknown".
AGE_UNKNOWN = "unknown"
AGE_BANDS: list[str] = [f"{start}-{start + 4}" for start in range(0, 85, 5)] + ["85+"]
AGE_BAND_LIST: list[str] = [*AGE_BANDS, AGE_UNKNOWN]
AGE_BAND_CHOICES: list[tuple[str, Any]] = [(band, band) for band in AGE_BANDS] + [(AGE_UNKNOWN, _("Not known"))]


class PeriodType(models.TextChoices):
    """Quarters start in January, April, July and October; years are NHS financial years starting 1 April."""

    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Financial year")


class ImportKind(models.TextChoices):
    POPULATION = "population", _("Population")
    ACTIVITY = "activity", _("Activity records")
    AGGREGATE = "aggregate", _("Pre-aggregated counts")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Imported")
    INVALID = "invalid", _("Not imported: errors in the file")
    FAILED = "failed", _("Not imported: the import stopped")
    SUPERSEDED = "superseded", _("Replaced by a later import")
