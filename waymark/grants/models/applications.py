"""An application, from the first saved draft to the decision: who is applying, for what, the answers in the
applicant's words, the automatic eligibility flags and the staff screening."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.choices import OrganisationType
from waymark.core.querysets import VisibleQuerySet
from waymark.grants.choices import (
    ApplicantKind,
    ApplicationStatus,
    Channel,
    DeiAsked,
    DeiReply,
    IdentifierScheme,
    ScreeningOutcome,
)
from waymark.grants.models.programmes import Programme


class Application(models.Model):
    """One application to one programme. Real columns hold what 360Giving and the lists need; the answers to
    the programme's own questions are kept under the questions' keys."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=30, unique=True, help_text=_("For example SEED-2027-0012."))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=15, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The member of staff who took it by phone, video or on paper."),
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    applicant_kind = models.CharField(
        _("who is applying"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.ORGANISATION
    )
    # The person we write to
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("your e-mail address"))
    contact_phone = models.CharField(_("your telephone number"), max_length=40, blank=True)
    # The group, as the applicant describes it; matched to (or created as) the one Organisation on submission
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="grant_applications"
    )
    organisation_name = models.CharField(_("name of your group"), max_length=255, blank=True)
    organisation_type = models.CharField(
        _("what kind of group"), max_length=30, choices=OrganisationType.choices, blank=True
    )
    charity_number = models.CharField(_("charity number"), max_length=20, blank=True)
    company_number = models.CharField(_("company number"), max_length=10, blank=True)
    mutual_number = models.CharField(_("mutual society number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    # The project
    project_title = models.CharField(_("project title"), max_length=200, blank=True)
    project_summary = models.TextField(_("what you will do, in a few lines"), max_length=3_000, blank=True)
    amount_requested = models.DecimalField(
        _("amount asked for (£)"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    beneficiary_area = models.ForeignKey(
        "core.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("where")
    )
    communities = models.ManyToManyField(
        "core.Community", blank=True, related_name="grant_applications", verbose_name=_("communities served")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # 360Giving DEI extension: published only with the group's permission, never for an individual
    dei_asked = models.CharField(max_length=5, choices=DeiAsked.choices, default=DeiAsked.DURING)
    dei_reply = models.CharField(max_length=5, choices=DeiReply.choices, blank=True)
    dei_codes = models.JSONField(default=list, blank=True, help_text=_("DEI taxonomy codes the group chose."))
    dei_may_publish = models.BooleanField(_("we may publish these answers as open data"), default=False)
    # Checks and screening
    eligibility_flags = models.JSONField(
        default=list, blank=True, help_text=_("Automatic flags: amount, area, kind of group.")
    )
    screening_outcome = models.CharField(max_length=12, choices=ScreeningOutcome.choices, blank=True)
    screening_reason = models.TextField(_("reason"), max_length=2_000, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["programme", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="application_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.project_title or self.organisation_name}"

    def get_absolute_url(self) -> str:
        return reverse("grants:application_detail", kwargs={"uuid": self.uuid})

    @property
    def applicant_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name  # type: ignore[union-attr]
        return self.organisation_name or self.contact_name


class Attachment(models.Model):
    """A file sent with an application (a budget, a constitution, a quote): type and size checked by core.uploads."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("what it is"), max_length=200)
    file = models.FileField(_("file"), upload_to="grants/attachments/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["application", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


class RecipientIdentifier(models.Model):
    """The 360Giving organisation identifier a recipient is published under: from its registered number, or
    minted once for an unregistered group and kept for every later grant."""

    organisation = models.OneToOneField("core.Organisation", on_delete=models.PROTECT, related_name="grant_identifier")
    scheme = models.CharField(max_length=8, choices=IdentifierScheme.choices)
    identifier = models.CharField(max_length=100, unique=True, help_text=_("For example GB-CHC-1234567."))
    created_at = models.DateTimeField(auto_now_add=True)
    history = audit_history()

    def __str__(self) -> str:
        return self.identifier
