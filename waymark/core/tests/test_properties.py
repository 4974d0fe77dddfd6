"""Property-based checks at the edges where people's text enters Waymark."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from waymark.core.choices import OrganisationType
from waymark.core.models import Organisation
from waymark.core.postcodes import normalise_postcode
from waymark.core.services import create_organisation

outward = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True)
inward = st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True)


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_well_formed_postcode_normalises_to_one_spelling(out, inn, gap, lower):
    typed = f"{out}{gap}{inn}"
    typed = typed.lower() if lower else typed
    assert normalise_postcode(typed) == f"{out} {inn}"
    assert normalise_postcode(normalise_postcode(typed)) == f"{out} {inn}"


@pytest.mark.django_db
@settings(max_examples=40)
@given(st.text(min_size=1, max_size=120))
def test_an_organisation_name_is_stored_exactly_or_refused_with_a_reason(name):
    """Whatever is typed, it is either kept as typed or refused with a message: never changed or lost.

    PostgreSQL cannot store NUL characters and SQLite can; both must behave the same.
    """
    try:
        organisation = create_organisation(actor=None, data={"name": name, "org_type": OrganisationType.CHARITY})
    except ValidationError as error:
        assert "name" in error.message_dict
        assert "\x00" in name or not name.strip()
    else:
        assert Organisation.objects.get(pk=organisation.pk).name == name
