"""The one "may be a duplicate" search: records whose name (or other name) is the same or close to one being added.

Organisations (``core.services.find_similar_organisations``) and directory services
(``directory.services.find_similar_services``) both ask it, each saying where its postcode is.
"""

import re
import unicodedata
from difflib import SequenceMatcher

from django.db.models import Model, Q, QuerySet

from waymark.core.postcodes import normalise_postcode

# Words that do not tell two names apart: articles and legal forms.
_NAME_NOISE_WORDS = frozenset(
    {"the", "and", "of", "ltd", "limited", "plc", "llp", "inc", "cic", "cio", "co", "uk", "charity", "incorporated"}
)


def find_similar[Rows: QuerySet](
    queryset: Rows, name: str, postcode: str = "", *, postcode_field: str, exclude: Model | None = None
) -> Rows:
    """The rows of ``queryset`` that may be the same as ``name`` at ``postcode``, to warn before a duplicate is added.

    The rows have ``name`` and ``alternate_name``; ``postcode_field`` says where a row's postcode is
    (``"postcode"``, or through a relation, ``"locations__postcode"``). A match is the same name once
    case, punctuation and words such as "the", "ltd" and "CIC" are ignored (also against the other
    name), or the same postcode with a name that is close (one contains the other, or they are at
    least 60% alike).
    """
    key = name_key(name)
    try:
        postcode = normalise_postcode(postcode) if postcode else ""
    except ValueError:
        postcode = " ".join(postcode.upper().split())
    if not key and not postcode:
        return queryset.none()

    # Narrow in the database, then compare the normalised names in Python, so the
    # check costs one small query however many records there are.
    longest_word = max(key.split(), key=len, default="")
    nearby = Q(**{f"{postcode_field}__iexact": postcode}) if postcode else Q(pk__in=[])
    if longest_word:
        stem = longest_word[:4]
        nearby |= Q(name__icontains=stem) | Q(alternate_name__icontains=stem)
    candidates = queryset.filter(nearby)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)

    # A row reached through a relation comes once for each of its postcodes.
    names: dict[object, set[str]] = {}
    same_place: set[object] = set()
    for pk, other_name, other_alternate, other_postcode in candidates.values_list(
        "pk", "name", "alternate_name", postcode_field
    ).distinct():
        names[pk] = {name_key(other_name), name_key(other_alternate)} - {""}
        if postcode and (other_postcode or "").upper() == postcode:
            same_place.add(pk)
    similar_ids = [
        pk
        for pk, other_keys in names.items()
        if key in other_keys or (pk in same_place and any(_names_close(key, other) for other in other_keys))
    ]
    return queryset.filter(pk__in=similar_ids)


def name_key(name: str) -> str:
    """A name reduced to what identifies it: "The Acme Trust Ltd." and "acme trust" give the same key."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("'", "")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(word for word in words if word not in _NAME_NOISE_WORDS)


def _names_close(key: str, other: str) -> bool:
    """Whether two name keys are close: one holds the other, or they are at least 60% alike."""
    if not key or not other:
        return False
    return key in other or other in key or SequenceMatcher(None, key, other).ratio() >= 0.6
