"""Vocabularies of the directory, with HSDS 3.0 values where HSDS has them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceStatus(models.TextChoices):
    """HSDS service.status."""

    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")


# A service still running; published and running is what makes a service public (``Service.objects.public()``).
RUNNING_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


class LocationVisibility(models.TextChoices):
    """How much of a location the public may see. Refuges and volunteers' homes are never shown in full."""

    FULL = "full", _("Full address")
    DISTRICT = "district", _("Postcode district only")
    HIDDEN = "hidden", _("Hidden: contact to arrange")


class FundingType(models.TextChoices):
    GRANT = "grant", _("Grant")
    CONTRACT = "contract", _("Contract")
    CORE = "core", _("Core funding")
    DONATIONS = "donations", _("Donations")


class VolunteerReliance(models.TextChoices):
    NONE = "none", _("Paid staff")
    PARTLY = "partly", _("Partly volunteer-run")
    WHOLLY = "wholly", _("Run entirely by volunteers")


class Weekday(models.TextChoices):
    """iCalendar BYDAY codes, as HSDS schedule.byday uses."""

    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


WEEKDAY_BY_INDEX = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # date.weekday() → BYDAY


class FeedInterval(models.IntegerChoices):
    """How often a neighbouring directory's feed is read, in hours."""

    SIX_HOURS = 6, _("Every six hours")
    DAILY = 24, _("Every day")
    WEEKLY = 168, _("Every week")


class FeedRunOutcome(models.TextChoices):
    READ = "read", _("Read")
    FAILED = "failed", _("Could not be read")
    SKIPPED = "skipped", _("Skipped: another read was running")


class FeedRecordState(models.TextChoices):
    """Where one record of a feed stands in Waymark."""

    CURRENT = "current", _("In Waymark")
    QUARANTINED = "quarantined", _("Quarantined")
    HELD = "held", _("Changed at the source and here: waiting for review")
    RETIRED = "retired", _("Unpublished: gone from the feed")


class VersionDecision(models.TextChoices):
    """Whose version of a record changed at the source and in Waymark a person chose."""

    WAYMARK = "waymark", _("Waymark’s copy kept")
    SOURCE = "source", _("The source’s version taken")


class DuplicateDecision(models.TextChoices):
    OPEN = "open", _("Not yet decided")
    SAME = "same", _("The same service: merged")
    DIFFERENT = "different", _("Different services")
