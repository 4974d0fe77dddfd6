"""Items of community intelligence and feedback, their demographics (kept apart), and the
languages each staff member reads (which decides what needs interpreting)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.voice.choices_items import (
    AgeBand,
    Disability,
    Faith,
    Gender,
    HowGathered,
    ItemStatus,
    Sentiment,
    SourceType,
)

__all__ = [
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "TEXT_MAX_LENGTH",
    "FeedbackItem",
    "ItemDemographics",
    "StaffLanguage",
    "new_reference",
]

# No 0/O, 1/I/L, 5/S or 2/Z: a reference read aloud over the phone or copied from paper stays unambiguous.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
REFERENCE_LENGTH = 10
TEXT_MAX_LENGTH = 10_000


def new_reference() -> str:
    """A random public reference; it says nothing about the database id or how many items exist."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class FeedbackItem(models.Model):
    """One piece of feedback or soft intelligence: what someone said, how it reached us, and what it concerns."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_LENGTH,
        unique=True,
        default=new_reference,
        editable=False,
        help_text=_("The random reference the person is given; never the database id."),
    )
    text = models.TextField(_("what was said"), max_length=TEXT_MAX_LENGTH)
    english_summary = models.TextField(
        _("English summary"), blank=True, help_text=_("A short summary in English, written by staff.")
    )
    received_on = models.DateField(_("date"), help_text=_("When it was said or received."))
    how_gathered = models.CharField(_("how it was gathered"), max_length=20, choices=HowGathered.choices)
    venue = models.CharField(
        _("venue or event"),
        max_length=200,
        blank=True,
        help_text=_("Where it was said: the event, outreach session or place."),
    )
    source_type = models.CharField(
        _("who it came from"), max_length=20, choices=SourceType.choices, default=SourceType.INDIVIDUAL
    )
    organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="feedback_items", verbose_name=_("organisations concerned")
    )
    services = models.ManyToManyField(
        "directory.Service", blank=True, related_name="feedback_items", verbose_name=_("services concerned")
    )
    themes = models.ManyToManyField("core.Theme", blank=True, related_name="feedback_items", verbose_name=_("themes"))
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices, blank=True)
    communities = models.ManyToManyField(
        "core.Community", blank=True, related_name="feedback_items", verbose_name=_("communities affected")
    )
    original_language = models.ForeignKey(
        "core.Language",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
        verbose_name=_("original language"),
    )
    detected_language_code = models.CharField(
        _("detected language code"), max_length=12, blank=True, help_text=_("What the detector said, as it said it.")
    )
    language_confidence = models.FloatField(
        _("detection confidence"), null=True, blank=True, help_text=_("From 0 to 1; empty until detection has run.")
    )
    language_detected_at = models.DateTimeField(_("language detected"), null=True, blank=True)
    language_corrected = models.BooleanField(
        _("language set by a person"), default=False, help_text=_("A member of staff corrected or confirmed it.")
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreting_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpreting_requests",
        verbose_name=_("interpreting asked for by"),
    )
    interpreting_requested_at = models.DateTimeField(_("interpreting asked for"), null=True, blank=True)
    interpreting_needed_by = models.DateField(
        _("interpreting needed by"), null=True, blank=True, help_text=_("Empty when there is no deadline.")
    )
    consent_to_share = models.BooleanField(
        _("consent to share"), default=False, help_text=_("May be shared with the organisations it concerns.")
    )
    consent_to_publish = models.BooleanField(
        _("consent to publish"), default=False, help_text=_("The words may be quoted on public pages.")
    )
    public_quote = models.TextField(
        _("words we may quote"),
        blank=True,
        help_text=_(
            "The person's words as staff have edited them to remove anything that could identify anyone. "
            "Empty means nothing is quoted."
        ),
    )
    safeguarding = models.BooleanField(
        _("safeguarding concern"), default=False, help_text=_("Someone may be at risk; triaged first.")
    )
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.NEW)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items_recorded",
        verbose_name=_("recorded by"),
        help_text=_("The member of staff who recorded it; empty when the public sent it."),
    )
    recorded_for = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items_recorded",
        verbose_name=_("recorded by organisation"),
        help_text=_("The organisation whose staff gathered it."),
    )
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    wants_updates = models.BooleanField(
        _("tell me what happens about this"),
        default=False,
        help_text=_(
            "E-mail the person when an action that answers an issue built from this feedback changes; "
            "needs an e-mail address."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[organisations, services, themes, communities])

    class Meta:
        ordering = ["-received_on", "-created_at"]
        indexes = [
            models.Index(fields=["status", "safeguarding"]),
            models.Index(fields=["received_on"]),
            models.Index(fields=["language_detected_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("voice:item_detail", args=[self.uuid])

    def get_public_url(self, lang: str = settings.LANGUAGE_CODE) -> str:
        """The person's own page for this item, showing only its status and any published answer."""
        return reverse("voice:reference", kwargs={"lang": lang, "reference": self.reference})

    @property
    def is_public_submission(self) -> bool:
        return self.submitted_by_id is None and self.how_gathered == HowGathered.ONLINE_FORM


class ItemDemographics(models.Model):
    """Optional equality monitoring answers, stored apart from the words and never shown beside them."""

    item = models.OneToOneField(FeedbackItem, on_delete=models.CASCADE, related_name="demographics")
    ethnic_group = models.ForeignKey(
        "core.EthnicGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ethnicity"),
    )
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    disability = models.CharField(_("disability"), max_length=10, choices=Disability.choices, blank=True)
    faith = models.CharField(_("religion or belief"), max_length=12, choices=Faith.choices, blank=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name_plural = "item demographics"

    def __str__(self) -> str:
        return f"Demographics {self.pk}"

    @property
    def is_empty(self) -> bool:
        return not (self.ethnic_group_id or self.age_band or self.gender or self.disability or self.faith)


class StaffLanguage(models.Model):
    """A language a member of staff reads well enough to understand feedback written in it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice_languages")
    language = models.ForeignKey(
        "core.Language", on_delete=models.CASCADE, related_name="staff_readers", verbose_name=_("language")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["language__name"]
        constraints = [models.UniqueConstraint(fields=["user", "language"], name="voice_staff_language_unique")]

    def __str__(self) -> str:
        return f"{self.user} reads {self.language}"
