"""The one "may be a duplicate" search: how names are compared."""

import pytest

from waymark.core.similar import name_key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("The Acme Trust Ltd.", "acme trust"),
        ("ACME   trust", "acme trust"),
        ("St Mary's Centre CIC", "st marys centre"),
        ("Bangla & Somali Women's Group", "bangla somali womens group"),
        ("Café Ünity", "cafe unity"),
    ],
)
def test_name_key_ignores_case_punctuation_and_legal_forms(typed, key):
    assert name_key(typed) == key
