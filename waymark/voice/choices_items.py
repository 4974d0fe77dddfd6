"""Vocabularies of feedback items: how they were gathered, who from, and the optional demographics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HowGathered(models.TextChoices):
    EVENT = "event", _("At an event")
    OUTREACH = "outreach", _("Outreach")
    DROP_IN = "drop_in", _("Drop-in")
    ONLINE_FORM = "online_form", _("Online form")
    PARTNER = "partner", _("From a partner organisation")
    PHONE = "phone", _("By phone")


class SourceType(models.TextChoices):
    INDIVIDUAL = "individual", _("An individual")
    GROUP = "group", _("A group")
    PROFESSIONAL = "professional", _("A professional")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    MIXED = "mixed", _("Mixed")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class ItemStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    GROUPED = "grouped", _("Grouped into an issue")
    CLOSED = "closed", _("Closed")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_24 = "18_24", _("18 to 24")
    AGE_25_34 = "25_34", _("25 to 34")
    AGE_35_44 = "35_44", _("35 to 44")
    AGE_45_54 = "45_54", _("45 to 54")
    AGE_55_64 = "55_64", _("55 to 64")
    AGE_65_74 = "65_74", _("65 to 74")
    AGE_75_PLUS = "75_plus", _("75 or over")
    NOT_SAID = "not_said", _("Prefer not to say")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("In another way")
    NOT_SAID = "not_said", _("Prefer not to say")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SAID = "not_said", _("Prefer not to say")


class Faith(models.TextChoices):
    NONE = "none", _("No religion")
    BUDDHIST = "buddhist", _("Buddhist")
    CHRISTIAN = "christian", _("Christian")
    HINDU = "hindu", _("Hindu")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    OTHER = "other", _("Another religion or belief")
    NOT_SAID = "not_said", _("Prefer not to say")
