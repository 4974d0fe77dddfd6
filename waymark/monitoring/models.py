"""Ethnic monitoring: code mappings, population denominators, activity counts and data quality.

How the pieces fit (read this before querying):

- **Codes.** Files carry codes from a core ``EthnicCodeSet`` (ONS 2021 numbers "1"-"19", NHS letters
  "A"-"S", "Z" not stated, "99" not known). A ``LocalSubCategory`` (for example "Somali" within NHS "N"
  African) is a locally agreed finer code that always rolls up to one ``EthnicGroup``.
- **Analysis grouping.** Every rate is computed over an ``AnalysisGrouping`` (default: the 16 NHS
  categories, ``AnalysisGrouping.objects.get(is_default=True)``). A ``CodeMappingSet`` is one dated,
  versioned mapping into a grouping; its ``CodeMapping`` rows map each source ``EthnicGroup`` of either
  code set to one ``AnalysisGroup``. "Not stated" and "not known" codes are not mapped; a code with no
  mapping is reported as unmapped, never guessed. ``grouping.current_mapping()`` is the set in use; name
  ``str(mapping_set)`` (grouping and version) beside each figure.
- **Age and sex.** ``PopulationFigure`` has a row per age band and sex. ``ActivityCount`` and
  ``PeopleCount`` hold the total (``events``/``people``, summable in SQL) and ``by_age_sex``, a map
  ``{"<age band>|<sex>": count}`` (age bands as in ``choices.AGE_BAND_LIST``, sexes as ``choices.Sex``):
  one row per cell of everything else keeps ten-million-record imports to a few hundred thousand rows.
  ``age_sex_array`` turns maps into an array for age standardisation.
- **Counts keep source codes.** ``PopulationFigure``, ``ActivityCount`` and ``PeopleCount`` store the
  source ``ethnic_group`` (null = missing or invalid code), so a new mapping version re-groups old data.
  ``waymark.monitoring.queries`` does the mapping and summing; pages should call it rather than these
  models.
- **Events add up, people do not.** ``ActivityCount.events`` is per month (``period_start`` is the 1st)
  at the area the record gave (often an LSOA; null = no area): sum it over any dimension.
  ``PeopleCount.people`` is distinct people, computed on import for each roll-up: ``period_type``
  month/quarter/year (quarters Jan/Apr/Jul/Oct, years are financial years from 1 April), ``area`` = every
  local authority or coarser area the records fall in, or null for the provider's whole catchment.
  Within one roll-up (provider, measure, period_type, period_start, area) each person appears once, under
  the ethnic group, age band and sex of their earliest record there, so those rows may be summed over
  ethnic group, age band and sex, but never across periods, areas, providers or measures.
- **Batches.** Every import is an ``ImportBatch`` (who, when, file, SHA-256, rows, errors, the job). A
  re-import replaces only its provider x months in [period_start, period_end] x the measures in the file;
  the batches it took figures from are in ``replaced``; a batch left with no figures is "superseded".
- **Data quality.** ``DataQualityFigure`` per provider x month x measure (additive): records, valid
  stated codes, "not stated", "not known", invalid or missing codes, missing areas.
"""

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.models import Area, EthnicCodeSet, EthnicGroup, Job, Organisation
from waymark.core.querysets import VisibleQuerySet
from waymark.monitoring.choices import (
    AGE_BAND_CHOICES,
    AGE_BAND_LIST,
    ImportKind,
    ImportStatus,
    Measure,
    PeriodType,
    Sex,
)

if TYPE_CHECKING:
    import numpy as np


class LocalSubCategory(models.Model):
    """A locally agreed finer ethnic category within one code (e.g. Polish within "Any other White")."""

    parent = models.ForeignKey(EthnicGroup, on_delete=models.PROTECT, related_name="local_sub_categories")
    code = models.CharField(
        _("local code"), max_length=10, help_text=_("The code used in files, for example CP. Unique in its code set.")
    )
    label = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["parent__code_set", "parent__sort_order", "label"]
        verbose_name_plural = "local sub-categories"

    def __str__(self) -> str:
        return f"{self.code} {self.label} ({self.parent.label})"


class AnalysisGrouping(models.Model):
    """The declared set of ethnic groups a rate is computed over; named beside every figure."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default grouping"), default=False)
    default_reference = models.ForeignKey(
        "AnalysisGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The group other groups are compared with unless the reader chooses another."),
    )

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_analysis_grouping"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def current_mapping(self) -> "CodeMappingSet | None":
        """The newest mapping set in force (latest effective date, then highest id)."""
        return self.mapping_sets.order_by("-effective_from", "-pk").first()


class AnalysisGroup(models.Model):
    """One group of an analysis grouping, e.g. "Black or Black British: Caribbean"."""

    grouping = models.ForeignKey(AnalysisGrouping, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    high_level_group = models.CharField(max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["grouping", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["grouping", "code"], name="analysis_group_code_unique")]

    def __str__(self) -> str:
        return self.label


class CodeMappingSet(models.Model):
    """One version of the mapping from source codes into an analysis grouping, in force from a date."""

    grouping = models.ForeignKey(AnalysisGrouping, on_delete=models.PROTECT, related_name="mapping_sets")
    version = models.CharField(_("version"), max_length=50)
    effective_from = models.DateField(_("in force from"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Why this version exists; shown in methods notes."))

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["grouping", "-effective_from", "-pk"]
        constraints = [models.UniqueConstraint(fields=["grouping", "version"], name="code_mapping_set_version_unique")]

    def __str__(self) -> str:
        return f"{self.grouping.name}, mapping version {self.version}"


class CodeMapping(models.Model):
    """A source code (of any code set) that counts in one analysis group under a mapping set."""

    mapping_set = models.ForeignKey(CodeMappingSet, on_delete=models.CASCADE, related_name="mappings")
    ethnic_group = models.ForeignKey(EthnicGroup, on_delete=models.PROTECT, related_name="+")
    analysis_group = models.ForeignKey(AnalysisGroup, on_delete=models.PROTECT, related_name="mappings")

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mapping_set", "ethnic_group"], name="code_mapping_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ethnic_group} → {self.analysis_group}"


class ImportBatch(models.Model):
    """One uploaded file and what became of it. Record-level rows are never kept, only this and the counts."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    provider = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="monitoring_batches"
    )
    code_set = models.ForeignKey(
        EthnicCodeSet, on_delete=models.PROTECT, related_name="+", help_text=_("The code set of the file's codes.")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    upload_path = models.CharField(
        max_length=500, blank=True, help_text=_("Where the upload waits for the job; emptied once it has run.")
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population year"), null=True, blank=True, help_text=_("For population files: the year the counts describe.")
    )
    measures = models.JSONField(default=list, blank=True, help_text=_("The measures found in the file."))
    rows_read = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    figures_written = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text=_("The first 1,000 errors: {row, field, value, message}.")
    )
    error_summary = models.JSONField(
        default=list, blank=True, help_text=_("Every error counted by field and message: {field, message, count}.")
    )
    message = models.CharField(max_length=500, blank=True)
    replaced = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="replaced_by",
        help_text=_("Batches whose figures it replaced."),
    )
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.created_at:%d %b %Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:import_detail", args=[self.uuid])

    @property
    def error_total(self) -> int:
        return sum(item["count"] for item in self.error_summary)


class PopulationFigure(models.Model):
    """A census-style denominator: people in an area by source ethnic code, age band and sex."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="population_figures")
    year = models.PositiveSmallIntegerField()
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    ethnic_group = models.ForeignKey(EthnicGroup, on_delete=models.PROTECT, related_name="+")
    age_band = models.CharField(max_length=10, choices=AGE_BAND_CHOICES)
    sex = models.CharField(max_length=10, choices=Sex.choices)
    count = models.PositiveIntegerField()

    objects = VisibleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "area", "ethnic_group", "age_band", "sex"], name="population_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["area", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.area_id} {self.ethnic_group_id} {self.age_band} {self.sex}: {self.count}"


class ActivityCount(models.Model):
    """Events in one month, summed from records: may be added up over any dimension.

    Only the batch and the (provider, measure, period) index are indexed: each index slows the bulk
    write of a large import, and every page reads through the period index.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="activity_counts")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=False)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    period_start = models.DateField(help_text=_("The first day of the month."))
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    ethnic_group = models.ForeignKey(
        EthnicGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    local_sub_category = models.ForeignKey(
        LocalSubCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    events = models.PositiveIntegerField(help_text=_("All ages and sexes together."))
    by_age_sex = models.JSONField(
        default=dict, help_text=_('Events by age band and sex: {"25-29|female": 3, ...}; cells with none left out.')
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["provider", "measure", "period_start"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.period_start:%Y-%m}: {self.events} events"


def age_sex_array(maps: Iterable[Mapping[str, int]]) -> "np.ndarray":
    """Sum ``by_age_sex`` maps into an array: rows AGE_BAND_LIST (18 bands then "unknown"), columns Sex."""
    import numpy as np

    bands = {band: index for index, band in enumerate(AGE_BAND_LIST)}
    sexes = {sex: index for index, sex in enumerate(Sex.values)}
    total = np.zeros((len(AGE_BAND_LIST), len(sexes)), dtype=np.int64)
    for mapping in maps:
        for key, count in mapping.items():
            band, sex = key.split("|")
            total[bands[band], sexes[sex]] += count
    return total


class PeopleCount(models.Model):
    """Distinct people for one roll-up; see the module docstring for what may and may not be summed."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="people_counts")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=False)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    period_type = models.CharField(max_length=10, choices=PeriodType.choices)
    period_start = models.DateField()
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text=_("Null: all areas."),
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    people = models.PositiveIntegerField(help_text=_("All ages and sexes together."))
    by_age_sex = models.JSONField(
        default=dict, help_text=_('People by age band and sex at their earliest record: {"25-29|female": 3, ...}.')
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["provider", "measure", "period_type", "period_start"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.period_type} from {self.period_start}: {self.people} people"


class DataQualityFigure(models.Model):
    """How well one provider coded ethnicity in one month for one measure (every field adds up)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="quality_figures")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    period_start = models.DateField(help_text=_("The first day of the month."))
    records = models.PositiveIntegerField()
    valid_stated = models.PositiveIntegerField(help_text=_("Records with a valid code that states an ethnic group."))
    not_stated = models.PositiveIntegerField(help_text=_("Asked and declined (NHS code Z)."))
    not_known = models.PositiveIntegerField(help_text=_("Not asked (NHS code 99)."))
    invalid_code = models.PositiveIntegerField(help_text=_("Blank, or a code outside the code set."))
    missing_area = models.PositiveIntegerField(help_text=_("Records with no area code."))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "period_start", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "measure", "period_start"], name="data_quality_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period_start:%Y-%m}: {self.valid_stated} of {self.records} coded"


# Data-sharing access and published snapshots (owned by the pages; see that module's docstring).
from waymark.monitoring.models_access import ProviderDataAccess as ProviderDataAccess  # noqa: E402
from waymark.monitoring.models_access import PublishedSnapshot as PublishedSnapshot  # noqa: E402

# England's published figures (see that module's docstring).
from waymark.monitoring.models_national import NationalFigure as NationalFigure  # noqa: E402
from waymark.monitoring.models_national import NationalGroupLevel as NationalGroupLevel  # noqa: E402
from waymark.monitoring.models_national import NationalRelease as NationalRelease  # noqa: E402
