"""Every status and kind in the grants app. Rules compare with these, never with bare strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """Where an application is. The moves between them are in ``grants.workflow``."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENED_OUT = "screened_out", _("Screened out")
    IN_ASSESSMENT = "in_assessment", _("In assessment")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Applications a decision has been made on, or that left the round.
CLOSED_STATUSES = frozenset(
    {ApplicationStatus.SCREENED_OUT, ApplicationStatus.AWARDED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
)
# Applications the programme counts as received (drafts are not applications yet).
RECEIVED_STATUSES = frozenset(set(ApplicationStatus) - {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN})


class Channel(models.TextChoices):
    """How the application reached us: staff enter the ones taken by phone, video or on paper."""

    ONLINE = "online", _("Online form")
    PHONE = "phone", _("By telephone")
    VIDEO = "video", _("By video call")
    PAPER = "paper", _("On paper")
    IN_PERSON = "in_person", _("In person")


class ApplicantKind(models.TextChoices):
    ORGANISATION = "organisation", _("A group or organisation")
    INDIVIDUAL = "individual", _("An individual")


class ScreeningOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible: goes to assessment")
    INELIGIBLE = "ineligible", _("Not eligible: screened out")


class AssessorRole(models.TextChoices):
    STAFF = "staff", _("Staff assessor")
    PANEL = "panel", _("Community panel member")


class AssessmentStatus(models.TextChoices):
    """An assessor's seat on one application: first the declaration, then scoring."""

    AWAITING_DECLARATION = "awaiting_declaration", _("Awaiting declaration of interest")
    CONFLICTED = "conflicted", _("Declared a conflict: cannot assess")
    IN_PROGRESS = "in_progress", _("Scoring (draft)")
    SUBMITTED = "submitted", _("Scores submitted")


class PanelRecommendation(models.TextChoices):
    FUND = "fund", _("Fund")
    FUND_WITH_CONDITIONS = "fund_with_conditions", _("Fund with conditions")
    DO_NOT_FUND = "do_not_fund", _("Do not fund")


class DecisionOutcome(models.TextChoices):
    AWARD = "award", _("Award")
    DECLINE = "decline", _("Decline")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    RECEIVED = "received", _("Received")
    SKIPPED = "skipped", _("Not needed")


class IdentifierScheme(models.TextChoices):
    """Where a recipient's 360Giving organisation identifier comes from (org-id.guide prefixes)."""

    CHARITY = "GB-CHC", _("Registered charity (England and Wales)")
    COMPANY = "GB-COH", _("Company (Companies House)")
    MUTUAL = "GB-MPR", _("Mutual society (FCA register)")
    MINTED = "360G", _("Unregistered group: identifier given by the funder")


class DeiAsked(models.TextChoices):
    """360Giving DEI extension, askedStatus codelist."""

    NOT_APPLICABLE = "AS100", _("Not asked: not applicable")
    HISTORICAL = "AS101", _("Not asked: made before DEI questions were asked")
    DURING = "AS200", _("Asked during the application")
    AFTER = "AS201", _("Asked after the decision")


class DeiReply(models.TextChoices):
    """360Giving DEI extension, replyStatus codelist."""

    NO_REPLY = "RS100", _("No reply")
    REPLY = "RS200", _("Reply given")
    GENERAL = "RS201", _("Reply: general, not a specific group")
    PREFER_NOT = "RS202", _("Reply: prefer not to say")
    NO_PERMISSION = "RS203", _("Reply given, not to be published")
