"""Fixed vocabularies shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    NHS_TRUST = "nhs_trust", _("NHS trust")
    ICB = "icb", _("Integrated care board")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    OTHER_PUBLIC = "other_public", _("Other public body")
    HEALTHWATCH = "healthwatch", _("Healthwatch")
    CHARITY = "charity", _("Charity")
    SOCIAL_ENTERPRISE = "social_enterprise", _("CIC or social enterprise")
    FAITH_GROUP = "faith_group", _("Faith group")
    COMMUNITY_GROUP = "community_group", _("Unincorporated community group")
    PRIVATE_COMPANY = "private_company", _("Private company")


class AreaType(models.TextChoices):
    REGION = "region", _("Region")
    ICB = "icb", _("Integrated care board")
    SUB_ICB = "sub_icb", _("Sub-ICB location")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    MSOA = "msoa", _("Middle layer super output area")
    LSOA = "lsoa", _("Lower layer super output area")
    WARD = "ward", _("Electoral ward")


# Which area type may be the parent of which: only where ONS geographies nest.
AREA_PARENT_TYPES: dict[str, str] = {
    AreaType.LSOA: AreaType.MSOA,
    AreaType.MSOA: AreaType.LOCAL_AUTHORITY,
    AreaType.LOCAL_AUTHORITY: AreaType.REGION,
}


class CommunityKind(models.TextChoices):
    ETHNIC_GROUP = "ethnic_group", _("Ethnic group")
    FAITH = "faith", _("Faith")
    REFUGEE_ASYLUM = "refugee_asylum", _("Refugee or asylum status")
    LANGUAGE = "language", _("Language community")


class TextDirection(models.TextChoices):
    LTR = "ltr", _("Left to right")
    RTL = "rtl", _("Right to left")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class ExportKind(models.TextChoices):
    """What was downloaded, for the export log: personal data, or figures not passed through disclosure control."""

    SUBJECT_ACCESS = "subject_access", _("Subject access export")
    REGISTRATIONS = "registrations", _("Event registrations")
    SURVEY_RESPONSES = "survey_responses", _("Survey responses")
    VOICE_REPORT = "voice_report", _("Intelligence report")
    UNSUPPRESSED_FIGURES = "unsuppressed_figures", _("Unsuppressed monitoring figures")
    FUNDING_AMOUNTS = "funding_amounts", _("Fragility radar with funding amounts")
    PLAN_EVIDENCE_PACK = "plan_evidence_pack", _("PCREF evidence pack")
    PLAN_ACTIONS = "plan_actions", _("Action plan's actions with their named leads")
    CONSULTATIONS = "consultations", _("Consultation calendar with its contacts")
    CDW_ACTIVITY = "cdw_activity", _("A community development worker's activity log")
