"""England's published Mental Health Act annual statistics, kept as a benchmark beside a trust's figures.

Imported at the end of ``monitoring.models`` so Django finds these models in the monitoring app.

- ``NationalRelease``: one year of NHS England's *Mental Health Act Statistics, Annual Figures* as loaded
  (one per year: a correction is a new release after the old one is removed, never a silent overwrite).
- ``NationalFigure``: one England row of that file for an ethnic group and measure, with its counts, crude
  rate, standardised rate and interval as published. ``analysis_group`` is the Waymark group the published
  label maps to through the NHS England grouping (the 16 NHS categories, which keep Chinese under "Other
  ethnic groups"); broad groups ("Black or Black British") have none and carry ``broad_group`` only.
  The denominator is never published; ``implied_population`` works it out as count ÷ crude rate x 100,000.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.monitoring.choices import Measure

NATIONAL_RATE_PER = 100_000


class NationalGroupLevel(models.TextChoices):
    """Where a published ethnicity label sits in the NHS England grouping."""

    GROUP = "group", _("Ethnic group")
    BROAD = "broad", _("Broad ethnic group")
    TOTAL = "total", _("All people")
    UNKNOWN = "unknown", _("Not stated or not known")


class NationalRelease(models.Model):
    """One year of England's published figures, as loaded from one file."""

    year = models.CharField(_("year"), max_length=7, unique=True, help_text=_('The financial year, e.g. "2023-24".'))
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows_read = models.PositiveIntegerField(default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("Mental Health Act statistics for England, %(year)s") % {"year": self.year})

    @property
    def start_year(self) -> int:
        """The calendar year the financial year starts in (2023 for "2023-24"), as the dashboards count years."""
        return int(self.year[:4])


class NationalFigure(models.Model):
    """England's published figure for one measure and ethnic group in one year."""

    release = models.ForeignKey(NationalRelease, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    published_measure = models.CharField(max_length=200, help_text=_("The Measure column as published."))
    measure_subcategory = models.CharField(max_length=200, blank=True)
    published_group = models.CharField(max_length=200, help_text=_("The DemographicBreakdown column as published."))
    level = models.CharField(max_length=10, choices=NationalGroupLevel.choices)
    analysis_group = models.ForeignKey(
        "monitoring.AnalysisGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="national_figures"
    )
    broad_group = models.CharField(max_length=100, blank=True, help_text=_("The NHS England broad group."))
    mhsds_count = models.PositiveIntegerField(null=True, blank=True, help_text=_("Null: suppressed or not given."))
    acute_count = models.PositiveIntegerField(null=True, blank=True)
    total_count = models.PositiveIntegerField(null=True, blank=True)
    crude_rate = models.FloatField(null=True, blank=True, help_text=_("Per 100,000 people."))
    std_rate = models.FloatField(null=True, blank=True, help_text=_("Age and sex standardised, per 100,000."))
    std_rate_lower = models.FloatField(null=True, blank=True)
    std_rate_upper = models.FloatField(null=True, blank=True)
    row = models.PositiveIntegerField(help_text=_("The file's row, for tracing a figure to its source."))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["release", "measure", "measure_subcategory", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "published_measure", "measure_subcategory", "published_group"],
                name="national_figure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.release.year} {self.measure} {self.published_group}: {self.total_count}"

    @property
    def implied_population(self) -> float | None:
        """The denominator NHS England used: count ÷ crude rate x 100,000 (None when either is missing)."""
        if self.total_count is None or not self.crude_rate:
            return None
        return self.total_count / self.crude_rate * NATIONAL_RATE_PER
