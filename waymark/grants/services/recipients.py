"""The recipient of a grant is the one Organisation every app points to, never a copy, and is published to
360Giving under one identifier that never changes.

``match_or_create_organisation`` links a sent application to the Organisation it comes from: by a registered
number first, then by the same name at the same postcode, else a new record. ``recipient_identifier_for`` gives
the organisation's 360Giving identifier: from its registered number (charity ``GB-CHC-``, company ``GB-COH-``,
mutual society ``GB-MPR-``), or, for an unregistered group, one minted once under the funder's prefix
(``settings.GRANTS_360G_PREFIX``) and kept for every later grant, even if the group registers afterwards.
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.choices import OrganisationType
from waymark.core.models import Organisation
from waymark.core.postcodes import normalise_postcode
from waymark.core.services import create_organisation, find_similar_organisations
from waymark.core.similar import name_key
from waymark.grants.choices import ApplicantKind, IdentifierScheme
from waymark.grants.models import Application, RecipientIdentifier

# The formats the registers use (the 360Giving Data Quality Tool checks the same).
CHARITY_NUMBER = re.compile(r"^\d{6,8}(-\d{1,2})?$")
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
MUTUAL_NUMBER = re.compile(r"^(IP|RS)?\d{1,6}R?$")


def tidy_registered_number(field: str, value: str) -> str:
    """A registered number as the register writes it (no spaces, upper case, a company number's leading zeros
    put back), or a ValidationError naming the field and the format."""
    value = "".join((value or "").split()).upper()
    if not value:
        return ""
    if field == "company_number" and value.isdigit() and 6 <= len(value) < 8:
        value = value.zfill(8)
    rules = {
        "charity_number": (CHARITY_NUMBER, _("Enter a charity number of 6 to 8 digits, like 1123456.")),
        "company_number": (COMPANY_NUMBER, _("Enter a company number of 8 characters, like 01234567 or SC123456.")),
        "mutual_number": (MUTUAL_NUMBER, _("Enter a mutual society number as the FCA register shows it, like 12345R.")),
    }
    pattern, message = rules[field]
    if not pattern.match(value):
        raise ValidationError({field: message})
    return value


def _same_place(postcode: str, other: str) -> bool:
    def tidy(value: str) -> str:
        try:
            return normalise_postcode(value)
        except ValueError:
            return " ".join(value.upper().split())

    return bool(postcode and other) and tidy(postcode) == tidy(other)


def _find_organisation(application: Application) -> Organisation | None:
    if application.charity_number:
        found = Organisation.objects.filter(charity_number=application.charity_number).order_by("pk").first()
        if found:
            return found
    if application.company_number:
        found = Organisation.objects.filter(company_number=application.company_number).order_by("pk").first()
        if found:
            return found
    if application.mutual_number:
        held = RecipientIdentifier.objects.filter(
            identifier=f"{IdentifierScheme.MUTUAL}-{application.mutual_number}"
        ).select_related("organisation")
        for row in held:
            return row.organisation
    # No number, or a number nobody holds yet: the same name (ignoring case, "the", "ltd"…) at the same postcode.
    key = name_key(application.organisation_name)
    for candidate in find_similar_organisations(application.organisation_name, application.postcode).order_by("pk"):
        same_name = key and key in {name_key(candidate.name), name_key(candidate.alternate_name)}
        if same_name and _same_place(application.postcode, candidate.postcode):
            return candidate
    return None


def match_or_create_organisation(application: Application, *, actor: Any) -> Organisation | None:
    """Link the application to the one Organisation it comes from, creating it if nobody has it yet.

    An individual's application has no organisation (None). An unregistered group is an organisation too: it
    gets a record, so its next application, its grants and the directory's fragility radar all meet on it.
    """
    if application.applicant_kind == ApplicantKind.INDIVIDUAL:
        return None
    with transaction.atomic(), acting_as(actor):
        if application.organisation_id:
            organisation = application.organisation
        else:
            organisation = _find_organisation(application)
            if organisation is None:
                organisation = create_organisation(
                    actor=actor,
                    data={
                        "name": application.organisation_name or application.contact_name,
                        "org_type": application.organisation_type or OrganisationType.COMMUNITY_GROUP,
                        "charity_number": application.charity_number,
                        "company_number": application.company_number,
                        "postcode": application.postcode,
                    },
                )
            application.organisation = organisation
            application.save(update_fields=["organisation", "last_saved_at"])
        if application.mutual_number and organisation is not None:
            recipient_identifier_for(organisation, actor=actor, mutual_number=application.mutual_number)
    return organisation


def recipient_identifier_for(organisation: Organisation, *, actor: Any, mutual_number: str = "") -> RecipientIdentifier:
    """The organisation's 360Giving identifier, made the first time it is asked for and the same ever after.

    A registered number gives it (charity first, then company, then a mutual society's number, which core's
    organisations do not keep, so the application's is passed in); otherwise one is minted under the funder's
    prefix from the organisation's stable id. The organisation's row is locked while it is made, so two awards
    decided at once never mint two.
    """
    existing = RecipientIdentifier.objects.filter(organisation=organisation).first()
    if existing is not None:
        return existing
    with transaction.atomic(), acting_as(actor):
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        existing = RecipientIdentifier.objects.filter(organisation=locked).first()
        if existing is not None:
            return existing
        if locked.charity_number:
            scheme, number = IdentifierScheme.CHARITY, locked.charity_number
        elif locked.company_number:
            scheme, number = IdentifierScheme.COMPANY, locked.company_number
        elif mutual_number:
            scheme, number = IdentifierScheme.MUTUAL, tidy_registered_number("mutual_number", mutual_number)
        else:
            scheme, number = IdentifierScheme.MINTED, ""
        if scheme == IdentifierScheme.MINTED:
            identifier = f"{settings.GRANTS_360G_PREFIX}-ORG-{locked.uuid.hex[:12].upper()}"
        else:
            identifier = f"{scheme}-{number}"
        if RecipientIdentifier.objects.filter(identifier=identifier).exists():
            # Another record holds this registered number already: the same body entered twice. Keep the
            # published identifier unique and say so rather than publishing two recipients as one.
            raise ValidationError(
                {"organisation": _("Another organisation is already published under %(id)s.") % {"id": identifier}}
            )
        return RecipientIdentifier.objects.create(organisation=locked, scheme=scheme, identifier=identifier)
