from waymark.partnership.models.activity import Activity, CdwTeam
from waymark.partnership.models.consultations import Consultation
from waymark.partnership.models.partnerships import Decision, Partnership, PartnershipMember, Responsibility

__all__ = [
    "Activity",
    "CdwTeam",
    "Consultation",
    "Decision",
    "Partnership",
    "PartnershipMember",
    "Responsibility",
]
