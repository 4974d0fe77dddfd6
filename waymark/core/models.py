"""Shared ground: the one Organisation record, geography, reference vocabularies,
site pages, background jobs, schedules, the e-mail delivery log and the export log."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.choices import (
    AREA_PARENT_TYPES,
    AreaType,
    CommunityKind,
    DeliveryStatus,
    ExportKind,
    JobStatus,
    OrganisationType,
    TextDirection,
)
from waymark.core.querysets import VisibleQuerySet


class Sector(models.Model):
    """A field of work (health, housing, faith…) an organisation belongs to; used by rule-based lists."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    history = audit_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """An ONS geography. Parents are set only where ONS geographies nest (LSOA → MSOA → LA → region)."""

    area_type = models.CharField(max_length=20, choices=AreaType.choices)
    code = models.CharField(max_length=12, help_text=_("ONS code, for example E01000001."))
    name = models.CharField(max_length=200)
    vintage = models.PositiveSmallIntegerField(help_text=_("Boundary year, for example 2021."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    best_fit_ward = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="best_fit_lsoas",
        help_text=_("For an LSOA: the ward it falls in by best fit."),
    )

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["area_type", "name"]
        constraints = [models.UniqueConstraint(fields=["code", "vintage"], name="area_code_vintage_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        expected = AREA_PARENT_TYPES.get(self.area_type)
        if self.parent is not None and (expected is None or self.parent.area_type != expected):
            raise ValidationError({"parent": _("This kind of area cannot sit inside that kind of area.")})
        ward = self.best_fit_ward
        if ward is not None and (self.area_type != AreaType.LSOA or ward.area_type != AreaType.WARD):
            raise ValidationError({"best_fit_ward": _("Only an LSOA has a best-fit ward, and it must be a ward.")})


class Postcode(models.Model):
    """A postcode with its centroid and census geographies, loaded from an ONS Postcode Directory file."""

    postcode = models.CharField(max_length=8, unique=True, help_text=_("Normalised, for example SW1A 1AA."))
    district = models.CharField(max_length=4, db_index=True, help_text=_("The outward code, for example SW1A."))
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    lsoa = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ward = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class Organisation(models.Model):
    """The one record for any body Waymark knows: a service provider, a responder, an employer,
    a partner or a grant recipient. Every app points here; there is never a second copy."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text=_("Stable HSDS id."))
    name = models.CharField(_("name"), max_length=255)
    alternate_name = models.CharField(_("other name"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    org_type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    charity_number = models.CharField(_("charity number"), max_length=20, blank=True)
    company_number = models.CharField(_("company number"), max_length=10, blank=True)
    ods_code = models.CharField(_("ODS code"), max_length=10, blank=True, db_index=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations")
    address_line_1 = models.CharField(_("address line 1"), max_length=255, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=255, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[sectors])

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["org_type", "active"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organisation_detail", args=[self.uuid])


class EthnicCodeSet(models.Model):
    """A published list of ethnic group codes (ONS 2021 census, NHS Data Dictionary ethnic category)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50)
    source_url = models.URLField(blank=True)

    objects = VisibleQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class EthnicGroup(models.Model):
    """One code in a code set, with the high-level group it rolls up to."""

    code_set = models.ForeignKey(EthnicCodeSet, on_delete=models.PROTECT, related_name="groups")
    code = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    high_level_group = models.CharField(max_length=100)
    is_stated = models.BooleanField(
        default=True, help_text=_("False for 'not stated' and 'not known', which do not count as coded.")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["code_set", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["code_set", "code"], name="ethnic_group_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Language(models.Model):
    """A language by its ISO 639-3 code, so that Sylheti, Pahari-Pothwari and BSL can be named."""

    code = models.CharField(_("ISO 639-3 code"), max_length=3, unique=True)
    name = models.CharField(_("English name"), max_length=100)
    native_name = models.CharField(_("own name"), max_length=100, blank=True)
    direction = models.CharField(max_length=3, choices=TextDirection.choices, default=TextDirection.LTR)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """A community a service serves or a voice comes from: an ethnic group, faith, status or language."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=CommunityKind.choices)
    description = models.TextField(blank=True)
    ethnic_groups = models.ManyToManyField(EthnicGroup, blank=True, related_name="communities")
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.SET_NULL)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A tag in the shared hierarchical taxonomy (needs, issues, topics)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A theme cannot sit inside itself.")})
            ancestor = ancestor.parent


class SitePage(models.Model):
    """A page admins edit: the accessibility statement, privacy notice and cookie statement."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown. Headings, lists and links are kept; scripts are removed."))
    updated_at = models.DateTimeField(auto_now=True)

    history = audit_history()

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:page", args=[self.slug])


class Job(models.Model):
    """A background task a person started, with the progress its page shows."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, help_text=_("What kind of job, for example seed_demo."))
    label = models.CharField(max_length=255, help_text=_("What a person reads, for example 'Load demo borough'."))
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_current = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    task_path = models.CharField(max_length=255, blank=True, help_text=_("The task that does the work."))
    task_kwargs = models.JSONField(
        default=dict, blank=True, help_text=_("The task's input, kept so that a stopped job can be run again.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the worker last said it was still at work on the job.")
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", args=[self.uuid])

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_current / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class ScheduledJob(models.Model):
    """A periodic job the scheduler queues when due. Rows are kept in step with the code's schedule."""

    name = models.CharField(max_length=100, unique=True)
    task_path = models.CharField(max_length=255, help_text=_("Dotted path of the task to enqueue."))
    interval_seconds = models.PositiveIntegerField()
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmailDelivery(models.Model):
    """One e-mail to one recipient: the delivery log, and the idempotency key that stops a double send."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dedupe_key = models.CharField(
        max_length=255, unique=True, help_text=_("Same key, same message: a second send_email() does nothing.")
    )
    template = models.CharField(max_length=100)
    to_address = models.EmailField()
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text=_("Text files sent with it, such as a calendar entry: name, type, content.")
    )
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text=_("When a delivery that could not be sent is tried again.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "e-mail deliveries"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"


class SignedLinkVersion(models.Model):
    """Which links of one purpose still work for one subject (``core.signed_links``): a link signed with an
    older version was withdrawn. No row means nobody has withdrawn any, so nothing is stored per link."""

    purpose = models.CharField(max_length=40, help_text=_("What the link does, such as calendar-feed."))
    subject = models.CharField(max_length=100, help_text=_("Whose link it is, such as user:12."))
    version = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text=_("When links were last withdrawn."))

    history = audit_history()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["purpose", "subject"], name="one_link_version_per_subject")]

    def __str__(self) -> str:
        return f"{self.purpose} links of {self.subject}: version {self.version}"


class ExportLog(models.Model):
    """One download of personal data or of figures not passed through disclosure control: who, what, when,
    how many rows and with which filters. Append-only; written by ``core.export_log.record_export``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=ExportKind.choices)
    description = models.CharField(_("what"), max_length=300)
    rows = models.PositiveIntegerField(_("rows"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"
