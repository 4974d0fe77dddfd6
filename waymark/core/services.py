"""Writes to the shared ground: the one Organisation record and the site pages.

Every change goes through these functions, whichever page, API call, import or
task asks for it: they run in one transaction, validate the model, and record
the acting user in the audit history. Who may call them is decided at the edge
(views and API) through ``core.policy``.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.models import Organisation, SitePage
from waymark.core.querysets import VisibleQuerySet
from waymark.core.similar import find_similar
from waymark.core.text import refuse_nul_characters

# The fields a caller may set on an Organisation, in the order forms and the API show them;
# anything else in ``data`` is a programming error.
ORGANISATION_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "org_type",
    "charity_number",
    "company_number",
    "ods_code",
    "sectors",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "website",
    "phone",
    "email",
    "active",
)
ORGANISATION_M2M_FIELDS = frozenset({"sectors"})


def create_organisation(*, actor: Any, data: Mapping[str, Any]) -> Organisation:
    """Add an organisation from ``data`` (field name → value; ``sectors`` an iterable of Sector).

    ``uuid`` may be given too, so an import keeps the identifiers it was given.
    """
    scalars, m2m = _split_organisation_data(data, creating=True)
    organisation = Organisation(**scalars)
    with transaction.atomic(), acting_as(actor):
        refuse_nul_characters(organisation)
        organisation.full_clean()
        save_with_one_history_row(organisation, m2m)
    return organisation


def update_organisation(*, actor: Any, organisation: Organisation, data: Mapping[str, Any]) -> Organisation:
    """Change the fields named in ``data`` and leave every other field as it is in the database.

    The row is locked and re-read first, so two people saving at once are applied one
    after the other instead of the second silently undoing the first. Returns the
    updated organisation (a fresh instance, not the one passed in).
    """
    scalars, m2m = _split_organisation_data(data)
    with transaction.atomic(), acting_as(actor):
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {name: getattr(current, name) for name in scalars}
        for name, value in scalars.items():
            setattr(current, name, value)
        refuse_nul_characters(current)
        current.full_clean()
        fields_changed = any(getattr(current, name) != old for name, old in before.items())
        m2m_changed = {
            name: values
            for name, values in m2m.items()
            if _related_ids(values) != _related_ids(getattr(current, name).all())
        }
        if fields_changed or m2m_changed:
            # Saving with nothing changed would add an empty entry to the history.
            save_with_one_history_row(current, m2m_changed)
    return current


def update_site_page(*, actor: Any, page: SitePage, title: str, body: str) -> SitePage:
    """Replace a site page's title and Markdown body."""
    with transaction.atomic(), acting_as(actor):
        current = SitePage.objects.select_for_update().get(pk=page.pk)
        current.title = title
        current.body = body
        refuse_nul_characters(current)
        current.full_clean()
        current.save()
    return current


def find_similar_organisations(name: str, postcode: str = "", exclude: Organisation | None = None) -> VisibleQuerySet:
    """Organisations that may be the same body as ``name`` at ``postcode``, to warn before a duplicate is added
    (see ``core.similar.find_similar``)."""
    return find_similar(Organisation.objects.all(), name, postcode, postcode_field="postcode", exclude=exclude)


def _split_organisation_data(
    data: Mapping[str, Any], *, creating: bool = False
) -> tuple[dict[str, Any], dict[str, Iterable[Any]]]:
    unknown = set(data) - set(ORGANISATION_FIELDS) - ({"uuid"} if creating else set())
    if unknown:
        raise TypeError(f"Not organisation fields: {', '.join(sorted(unknown))}")
    scalars = {name: value for name, value in data.items() if name not in ORGANISATION_M2M_FIELDS}
    m2m = {name: value for name, value in data.items() if name in ORGANISATION_M2M_FIELDS}
    return scalars, m2m


def _related_ids(values: Iterable[Any]) -> set[Any]:
    return {getattr(value, "pk", value) for value in values}
