"""Writes to the shared ground: the one Organisation record and the site pages.

Every change goes through these functions, whichever page, API call, import or
task asks for it: they run in one transaction, validate the model, and record
the acting user in the audit history. Who may call them is decided at the edge
(views and API) through ``core.policy``.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from typing import Any

from django.db import transaction
from django.db.models import Q

from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.models import Organisation, SitePage
from waymark.core.postcodes import normalise_postcode
from waymark.core.querysets import VisibleQuerySet
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
    """Organisations that may be the same body as ``name`` at ``postcode``, to warn before a duplicate is added.

    A match is the same name once case, punctuation and words such as "the", "ltd" and
    "CIC" are ignored (also against the other name), or the same postcode with a
    name that is close (one contains the other, or they are at least 60% alike).
    """
    key = organisation_name_key(name)
    try:
        postcode = normalise_postcode(postcode) if postcode else ""
    except ValueError:
        postcode = " ".join(postcode.upper().split())
    if not key and not postcode:
        return Organisation.objects.none()

    # Narrow in the database, then compare the normalised names in Python, so the
    # check costs one small query however many organisations there are.
    longest_word = max(key.split(), key=len, default="")
    nearby = Q(postcode__iexact=postcode) if postcode else Q(pk__in=[])
    if longest_word:
        stem = longest_word[:4]
        nearby |= Q(name__icontains=stem) | Q(alternate_name__icontains=stem)
    candidates = Organisation.objects.filter(nearby)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)

    similar_ids = []
    for pk, other_name, other_alternate, other_postcode in candidates.values_list(
        "pk", "name", "alternate_name", "postcode"
    ):
        other_keys = {organisation_name_key(other_name), organisation_name_key(other_alternate)} - {""}
        same_place = bool(postcode) and other_postcode.upper() == postcode
        if key in other_keys or (same_place and any(_names_close(key, other) for other in other_keys)):
            similar_ids.append(pk)
    return Organisation.objects.filter(pk__in=similar_ids)


# Words that do not tell two organisations apart: articles and legal forms.
_NAME_NOISE_WORDS = frozenset(
    {"the", "and", "of", "ltd", "limited", "plc", "llp", "inc", "cic", "cio", "co", "uk", "charity", "incorporated"}
)


def organisation_name_key(name: str) -> str:
    """A name reduced to what identifies it: "The Acme Trust Ltd." and "acme trust" give the same key."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("'", "")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(word for word in words if word not in _NAME_NOISE_WORDS)


def _names_close(key: str, other: str) -> bool:
    if not key or not other:
        return False
    return key in other or other in key or SequenceMatcher(None, key, other).ratio() >= 0.6


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
