"""Statuses and kinds in partnership working; rules compare with these, never with bare strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponsibilityLevel(models.TextChoices):
    """A partner's part in a plan objective, as the who-does-what matrix records it (a RACI in plain words)."""

    LEAD = "lead", _("Leads")
    CONTRIBUTES = "contributes", _("Contributes")
    CONSULTED = "consulted", _("Consulted")
    INFORMED = "informed", _("Kept informed")


class ConsultationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


# Where a consultation may move from each status; "reported" is the end of the loop, "cancelled" a dead end.
CONSULTATION_TRANSITIONS: dict[str, tuple[ConsultationStatus, ...]] = {
    ConsultationStatus.PLANNED: (ConsultationStatus.OPEN, ConsultationStatus.CANCELLED),
    ConsultationStatus.OPEN: (ConsultationStatus.CLOSED, ConsultationStatus.CANCELLED),
    ConsultationStatus.CLOSED: (ConsultationStatus.REPORTED, ConsultationStatus.OPEN),
    ConsultationStatus.REPORTED: (),
    ConsultationStatus.CANCELLED: (ConsultationStatus.PLANNED,),
}

# Consultations that will still ask a community something: only these clash with one another.
ASKING_STATUSES = (ConsultationStatus.PLANNED, ConsultationStatus.OPEN)

# What the public page shows of a consultation marked for publication: open ones to take part in, and
# reported ones ("we asked, you said, we did").
PUBLIC_STATUSES = (ConsultationStatus.OPEN, ConsultationStatus.REPORTED)


class ConsultationMethod(models.TextChoices):
    SURVEY = "survey", _("Survey or questionnaire")
    FOCUS_GROUP = "focus_group", _("Focus group")
    PUBLIC_MEETING = "public_meeting", _("Public meeting")
    INTERVIEWS = "interviews", _("Interviews")
    DROP_IN = "drop_in", _("Drop-in or outreach stall")
    WORKSHOP = "workshop", _("Workshop or co-design session")
    ONLINE = "online", _("Online discussion")
    OTHER = "other", _("Other")


class CdwFunction(models.TextChoices):
    """The four functions of the community development worker's role, developed "in the round"."""

    CHANGE_AGENT = "change_agent", _("Change agent")
    ACCESS_FACILITATOR = "access_facilitator", _("Access facilitator")
    SERVICE_DEVELOPER = "service_developer", _("Service developer")
    CAPACITY_BUILDER = "capacity_builder", _("Community capacity-builder")


CDW_FUNCTION_HELP = {
    CdwFunction.CHANGE_AGENT: _(
        "Changing how services and organisations work, so that they meet BME communities' needs."
    ),
    CdwFunction.ACCESS_FACILITATOR: _(
        "Helping people and groups reach the services they need, and services reach them."
    ),
    CdwFunction.SERVICE_DEVELOPER: _("Developing new or better services with communities and providers."),
    CdwFunction.CAPACITY_BUILDER: _("Building community groups' skills, confidence, networks and voice."),
}


class ActivityType(models.TextChoices):
    OUTREACH = "outreach", _("Outreach or community visit")
    GROUP_MEETING = "group_meeting", _("Community group meeting")
    ONE_TO_ONE = "one_to_one", _("One-to-one support")
    PARTNERSHIP = "partnership", _("Partnership or service meeting")
    TRAINING = "training", _("Training given or received")
    EVENT = "event", _("Event")
    CONSULTATION = "consultation", _("Consultation or engagement")
    MAPPING = "mapping", _("Research or community mapping")
    OTHER = "other", _("Other")
