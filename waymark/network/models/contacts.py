"""The people a network keeps in touch with, the networks and forums they belong to, and the lists
bulletins go to.

A Contact is personal data (registered with core's personal-data registry in apps.py): consent to be
contacted is recorded with its lawful basis and date, and an unsubscribe is kept as a date so it is
never lost. Other parts of the network app (meetings, events) refer to these models as
``"network.Contact"``, ``"network.Network"`` and ``"network.Membership"``.
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
from waymark.core.querysets import VisibleQuerySet

__all__ = [
    "Contact",
    "DistributionList",
    "LawfulBasis",
    "Membership",
    "MembershipRole",
    "Network",
    "TaskGroup",
    "TermsOfReference",
]


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6 bases a network can rely on to e-mail someone."""

    CONSENT = "consent", _("Consent")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests")
    PUBLIC_TASK = "public_task", _("Public task")
    CONTRACT = "contract", _("Contract")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MINUTE_TAKER = "minute_taker", _("Minute-taker")
    SECRETARY = "secretary", _("Secretary")


class Contact(models.Model):
    """A person the network keeps in touch with, and on what basis it may e-mail them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    job_title = models.CharField(_("role or job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_contacts",
        verbose_name=_("organisation"),
    )
    sector = models.ForeignKey(
        "core.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_contacts",
        verbose_name=_("sector"),
    )
    interests = models.ManyToManyField(
        "core.Theme", blank=True, related_name="network_contacts", verbose_name=_("interests")
    )
    preferred_language = models.ForeignKey(
        "core.Language",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_contacts",
        verbose_name=_("preferred language"),
    )
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    lawful_basis = models.CharField(_("lawful basis"), max_length=30, choices=LawfulBasis.choices, blank=True)
    consent_date = models.DateField(_("date consent was given"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed from everything"), null=True, blank=True, help_text=_("Set when they asked for no more e-mail.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_contact",
        help_text=_("The Waymark account of this person, when they have one."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[interests])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="network_contact_email_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:contact_detail", args=[self.uuid])

    @property
    def unsubscribed(self) -> bool:
        return self.unsubscribed_at is not None

    @property
    def may_be_emailed(self) -> bool:
        """Bulletins go only to people with an address, a recorded basis and no unsubscribe."""
        return bool(self.email) and self.consent_to_contact and bool(self.lawful_basis) and not self.unsubscribed

    def clean(self) -> None:
        errors = {}
        if self.consent_to_contact and not self.lawful_basis:
            errors["lawful_basis"] = _("Say on what lawful basis this person may be contacted.")
        if self.consent_to_contact and not self.consent_date:
            errors["consent_date"] = _("Give the date they agreed to be contacted.")
        elif self.consent_date and self.consent_date > timezone.localdate():
            errors["consent_date"] = _("The date consent was given must be today or in the past.")
        if errors:
            raise ValidationError(errors)


class Network(models.Model):
    """A professional network or forum, run by one organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for web addresses"), unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="networks",
        verbose_name=_("organisation running it"),
    )
    members = models.ManyToManyField(Contact, through="Membership", related_name="networks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:network_detail", args=[self.slug])


class MembershipQuerySet(VisibleQuerySet):
    def current(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        """Memberships that have started and not ended on ``on`` (default today)."""
        day = on or timezone.localdate()
        return self.filter(joined__lte=day).filter(Q(left__isnull=True) | Q(left__gt=day))


class Membership(models.Model):
    """A contact's time in a network and the role they hold there."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined = models.DateField(_("joined"), default=timezone.localdate)
    left = models.DateField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["network", "contact__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "network"], condition=Q(left__isnull=True), name="network_one_open_membership"
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")), name="network_membership_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} in {self.network} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.left and self.joined and self.left < self.joined:
            raise ValidationError({"left": _("The date they left must be on or after the date they joined.")})


class TermsOfReference(models.Model):
    """One version of a network's terms of reference; the latest approved one is in force."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="terms_of_reference")
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("terms of reference"), help_text=_("Markdown."))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["network", "-version"]
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["network", "version"], name="network_terms_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.network} terms of reference v{self.version}"


class TaskGroup(models.Model):
    """A task-and-finish group: a few members working on one thing for a while."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="task_groups")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    members = models.ManyToManyField(Contact, blank=True, related_name="task_groups", verbose_name=_("members"))
    start = models.DateField(_("starts"), default=timezone.localdate)
    end = models.DateField(_("ends"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[members])

    class Meta:
        ordering = ["network", "-start", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end date must be on or after the start date.")})


class DistributionList(models.Model):
    """Who a bulletin goes to: chosen people, and/or a rule over the network's current members.

    The rule matches current members in any of ``rule_sectors`` or with any of ``rule_interests``
    ("all housing members"); ``all_members`` takes every current member. People who left the list
    through its unsubscribe link are in ``opted_out`` and never receive it again.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="distribution_lists")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    static_members = models.ManyToManyField(
        Contact, blank=True, related_name="distribution_lists", verbose_name=_("chosen people")
    )
    all_members = models.BooleanField(_("every current member of the network"), default=False)
    rule_sectors = models.ManyToManyField(
        "core.Sector", blank=True, related_name="+", verbose_name=_("members in these sectors")
    )
    rule_interests = models.ManyToManyField(
        "core.Theme", blank=True, related_name="+", verbose_name=_("members with these interests")
    )
    opted_out = models.ManyToManyField(Contact, blank=True, related_name="lists_left", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[static_members, rule_sectors, rule_interests, opted_out])

    class Meta:
        ordering = ["network", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:list_detail", args=[self.uuid])
