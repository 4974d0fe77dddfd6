"""The community map: services run by the shared Organisations, where they are, whom they serve,
how to get in, when they are open, and how they are funded.

Field names follow Open Referral HSDS 3.0 where HSDS has the idea, so import and export map directly.
Staff-only fields (funding amounts, internal notes, the full address of a hidden location) are marked
in ``PUBLIC_*_FIELDS`` lists used by every public surface; nothing public reads a model directly.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.dates import add_months
from waymark.core.querysets import VisibleQuerySet
from waymark.directory.choices import (
    RUNNING_STATUSES,
    DuplicateDecision,
    FeedInterval,
    FeedRecordState,
    FeedRunOutcome,
    FundingType,
    LocationVisibility,
    ServiceStatus,
    VersionDecision,
    VolunteerReliance,
    Weekday,
)


class Taxonomy(models.Model):
    """A published list of terms (HSDS taxonomy), e.g. Waymark's needs taxonomy."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A need a service meets (counselling, advocacy, crisis support…), in a hierarchy."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique")]

    def __str__(self) -> str:
        return self.name


def public_service_filter(path: str = "") -> Q:
    """The one definition of a service anyone may see: published and running (active or temporarily closed).

    ``path`` reaches services from a related model, e.g. ``"services__"`` for a location's services.
    """
    return Q(**{f"{path}published": True, f"{path}status__in": RUNNING_STATUSES})


# A service not checked for this long is due for review.
REVIEW_AFTER_MONTHS = 12


class ServiceQuerySet(VisibleQuerySet):
    def public(self) -> "ServiceQuerySet":
        """The services anyone may see, whoever asks (the shortlist, the public pages, exports and API)."""
        return self.filter(public_service_filter())

    def due_for_review(self, today: datetime.date | None = None) -> "ServiceQuerySet":
        """Services never checked, or last checked a year ago to the day or longer: the review queue and the
        owners' weekly reminder both ask this. Defunct services need no checking."""
        cutoff = add_months(today or timezone.localdate(), -REVIEW_AFTER_MONTHS)
        return self.exclude(status=ServiceStatus.DEFUNCT).filter(
            Q(last_verified_on__isnull=True) | Q(last_verified_on__lte=cutoff)
        )


class Service(models.Model):
    """Something an organisation offers people: what it is, who it is for, and how to get in."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text=_("Stable HSDS id."))
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=255)
    alternate_name = models.CharField(_("other name"), max_length=255, blank=True)
    description = models.TextField(_("what the service does"))
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on public pages. Needs a way to contact or refer.")
    )
    categories = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services", verbose_name=_("needs"))
    eligibility_description = models.TextField(_("who can use it"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    is_free = models.BooleanField(_("free to use"), default=True)
    fees_description = models.TextField(_("costs"), blank=True)
    self_referral = models.BooleanField(_("people can refer themselves"), default=False)
    professional_referral = models.BooleanField(_("professionals can refer"), default=False)
    gp_referral = models.BooleanField(_("GPs can refer"), default=False)
    application_process = models.TextField(_("how to get in"), blank=True)
    languages = models.ManyToManyField("core.Language", blank=True, related_name="services")
    communities = models.ManyToManyField("core.Community", blank=True, related_name="services")
    interpreter_available = models.BooleanField(_("interpreter available"), default=False)
    accessibility_description = models.TextField(_("accessibility"), blank=True)
    volunteer_reliance = models.CharField(
        _("who runs it"), max_length=10, choices=VolunteerReliance.choices, default=VolunteerReliance.NONE
    )
    internal_notes = models.TextField(_("internal notes"), blank=True, help_text=_("Staff only; never public."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_services",
        help_text=_("Who keeps this record up to date and is reminded to verify it."),
    )
    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    search_document = models.TextField(
        editable=False, default="", help_text=_("Normalised words the search index holds; kept by services.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()
    history = audit_history(m2m_fields=[categories, languages, communities], excluded_fields=["search_document"])

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["published", "status"]),
            models.Index(fields=["last_verified_on"]),
            models.Index(fields=["name"], name="service_name_idx"),  # lists and searches without text
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service_detail", args=[self.uuid])

    @property
    def is_public(self) -> bool:
        """Whether anyone may see this service: ``public_service_filter`` for one row already read."""
        return self.published and self.status in RUNNING_STATUSES

    @property
    def has_contact_route(self) -> bool:
        """A published service must say how to reach it: a phone, an e-mail, a website or a referral route."""
        return bool(self.phone or self.email or self.url or self.application_process.strip())

    def clean(self) -> None:
        errors = {}
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            errors["maximum_age"] = _("The oldest age must be the same as or more than the youngest age.")
        if self.published and not self.has_contact_route:
            errors["published"] = _(
                "Add a phone number, e-mail, website or how to get in before publishing, so people can reach it."
            )
        if errors:
            raise ValidationError(errors)


class Location(models.Model):
    """A place where services are delivered. Its visibility decides how much of it the public may see."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    address_1 = models.CharField(_("address line 1"), max_length=255, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=255, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    ward = models.ForeignKey(
        "core.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("ward")
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    visibility = models.CharField(
        _("what the public sees"), max_length=10, choices=LocationVisibility.choices, default=LocationVisibility.FULL
    )
    # The point public_location() shows (exact, the district's middle, or none when hidden), kept by
    # directory.services so search can sort by distance in SQL without revealing more than the public sees.
    public_latitude = models.FloatField(null=True, blank=True, editable=False)
    public_longitude = models.FloatField(null=True, blank=True, editable=False)
    services = models.ManyToManyField(Service, through="ServiceAtLocation", related_name="locations")

    objects = VisibleQuerySet.as_manager()
    history = audit_history(excluded_fields=["public_latitude", "public_longitude"])

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["public_latitude", "public_longitude"], name="location_public_point_idx"),
            models.Index(fields=["postcode"], name="location_postcode_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    """A service delivered at a location (HSDS service_at_location)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    history = audit_history()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Contact(models.Model):
    """A way to reach a service: a role ("Duty worker") rather than a person wherever possible."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    title = models.CharField(_("role"), max_length=200, help_text=_("For example 'Duty worker' or 'Intake team'."))
    name = models.CharField(_("person's name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    public = models.BooleanField(_("show to the public"), default=True)

    history = audit_history()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Schedule(models.Model):
    """Weekly opening hours of a service (HSDS schedule with freq=WEEKLY and one byday)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.CharField(max_length=2, choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    notes = models.CharField(max_length=255, blank=True)

    history = audit_history()

    class Meta:
        ordering = ["service", "weekday", "opens_at"]
        # "Which services are open now" and "whose hours begin or end within this half hour" read only these.
        indexes = [
            models.Index(fields=["weekday", "opens_at", "closes_at", "service"], name="schedule_open_now_idx"),
            models.Index(fields=["weekday", "closes_at", "service"], name="schedule_closing_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing time must be after the opening time.")})


class HolidayException(models.Model):
    """A day a service is closed, or open at other hours, that its weekly hours do not show."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="holiday_exceptions")
    starts_on = models.DateField()
    ends_on = models.DateField()
    closed = models.BooleanField(default=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    notes = models.CharField(max_length=255, blank=True)

    history = audit_history()

    class Meta:
        ordering = ["service", "starts_on"]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day must be on or after the first day.")})
        if not self.closed and not (self.opens_at and self.closes_at):
            raise ValidationError({"opens_at": _("Give the opening and closing times for the days it is open.")})


class FundingSource(models.Model):
    """Money an organisation (or one of its services) lives on, and when it ends: the fragility radar reads these.
    Amounts are staff-only."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="funding_sources")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="funding_sources"
    )
    funder = models.CharField(_("funder"), max_length=255)
    funding_type = models.CharField(_("type"), max_length=10, choices=FundingType.choices)
    amount = models.DecimalField(_("amount (£)"), max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    # Filled in by a grants award (grants.services.funding), so the radar names the programme and a later
    # change to the award updates this row rather than adding another.
    programme = models.CharField(_("grant programme"), max_length=200, blank=True)
    grant_identifier = models.CharField(_("grant identifier"), max_length=100, blank=True, db_index=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["ends_on", "funder"]
        indexes = [models.Index(fields=["ends_on"])]

    def __str__(self) -> str:
        return f"{self.funder} ({self.get_funding_type_display()})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
        if self.service_id and self.service and self.service.organisation_id != self.organisation_id:
            raise ValidationError({"service": _("Choose a service run by this organisation.")})


# A feed's fields that its reads keep up to date (not what anyone edits): written in place, not in the history.
FEED_READ_STATE = ["next_read_at", "reading_since", "last_read_at", "last_success_at", "last_outcome", "last_message"]


class Feed(models.Model):
    """Another directory's Open Referral UK (or HSDS 3.0) API that Waymark reads on a schedule, so services
    listed by neighbours (the council, the ICB, Healthwatch) appear on the community map with their source."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("What staff call it, for example 'Council's Local Offer'.")
    )
    url = models.URLField(
        _("API address"),
        max_length=500,
        help_text=_(
            "The Open Referral UK API's address, for example https://example.org/api; Waymark reads its /services."
        ),
    )
    publisher_name = models.CharField(
        _("publisher"), max_length=255, help_text=_("The organisation that publishes it.")
    )
    publisher_identifier = models.CharField(
        _("publisher's organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("As org-id.guide writes it, for example GB-CHC-1234567 or GB-GOR-E06000008."),
    )
    needs = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="feeds",
        verbose_name=_("needs it covers"),
        help_text=_("Every service read from this feed is listed under these needs too."),
    )
    read_every = models.PositiveSmallIntegerField(
        _("how often to read it"), choices=FeedInterval.choices, default=FeedInterval.DAILY
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days before a vanished record is unpublished"),
        default=30,
        help_text=_("A service gone from the feed stays published this long, in case it comes back."),
    )
    active = models.BooleanField(_("read on schedule"), default=True)
    next_read_at = models.DateTimeField(null=True, blank=True, editable=False)
    reading_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("Set while a read runs, so two never overlap.")
    )
    last_read_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_outcome = models.CharField(max_length=10, choices=FeedRunOutcome.choices, blank=True, editable=False)
    last_message = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    # What people set is kept in the history; how the reads went is each read's own log (FeedRun).
    history = audit_history(m2m_fields=[needs], excluded_fields=FEED_READ_STATE)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:feed_detail", args=[self.uuid])

    def clean(self) -> None:
        if self.grace_days is not None and not 1 <= self.grace_days <= 365:
            raise ValidationError({"grace_days": _("Give a number of days from 1 to 365.")})


class FeedRun(models.Model):
    """One reading of a feed: what it found and what Waymark did with it."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=FeedRunOutcome.choices, blank=True)
    message = models.TextField(blank=True)
    requests = models.PositiveIntegerField(default=0)
    records_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    vanished = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}"


class FeedRecord(models.Model):
    """One service record of a feed: the source's id, the Waymark service made of it, and when it was last seen.

    ``content_hash`` is the record as last read, so an unchanged record costs nothing; ``applied_hash`` is
    Waymark's own record just after the feed last wrote it, so a local edit since then is noticed and a
    change at the source waits for a person instead of overwriting it.
    """

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="records")
    source_id = models.CharField(_("id at the source"), max_length=255)
    name = models.CharField(_("name at the source"), max_length=255, blank=True)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_records")
    state = models.CharField(max_length=12, choices=FeedRecordState.choices, default=FeedRecordState.CURRENT)
    merged = models.BooleanField(
        default=False, help_text=_("A person decided this record is a service Waymark already had.")
    )
    waymark_leads = models.BooleanField(
        default=False,
        help_text=_("A person chose Waymark's version over the source's: later changes at the source wait for review."),
    )
    content_hash = models.CharField(max_length=64, blank=True)
    applied_hash = models.CharField(max_length=64, blank=True)
    problems = models.JSONField(default=list, blank=True, help_text=_("Why the record is quarantined."))
    received = models.JSONField(
        null=True, blank=True, help_text=_("The record as last read, kept while it is quarantined or held.")
    )
    decision = models.CharField(
        max_length=8,
        choices=VersionDecision.choices,
        blank=True,
        help_text=_("Whose version a person last chose when the record changed at the source and in Waymark."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    vanished_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "source_id"]
        constraints = [models.UniqueConstraint(fields=["feed", "source_id"], name="feed_record_source_unique")]
        indexes = [models.Index(fields=["feed", "state"], name="feed_record_state_idx")]

    def __str__(self) -> str:
        return self.name or self.source_id


class PossibleDuplicate(models.Model):
    """A service read from a feed that may be one Waymark already lists (similar name or the same postcode):
    shown for a person to merge or to tell apart, never merged blindly."""

    record = models.ForeignKey(FeedRecord, on_delete=models.CASCADE, related_name="duplicates")
    other = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=DuplicateDecision.choices, default=DuplicateDecision.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["record", "other"], name="possible_duplicate_unique")]

    def __str__(self) -> str:
        return f"{self.record} / {self.other}"
