"""The search filters' lists (needs, languages, communities, wards) are kept between requests for speed, yet a
change to what they list shows on the very next search; and a search page asks the database the same number of
questions however many results it shows, each listing its needs and languages by name."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from waymark.core.choices import AreaType
from waymark.core.factories import AreaFactory
from waymark.core.models import Area, Community, Language, Postcode
from waymark.directory import public
from waymark.directory.choices import LocationVisibility
from waymark.directory.factories import LocationFactory, ServiceFactory, TaxonomyTermFactory
from waymark.directory.models import Location

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("directory:search")


def _page(client: Client, **params) -> str:
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_renamed_need_shows_its_new_name_in_the_filters_at_once():
    term = TaxonomyTermFactory(name="Befriending")
    client = Client()
    assert "Befriending" in _page(client)

    term.name = "Befriending and peer support"
    term.save()

    html = _page(client)
    assert f'<option value="{term.uuid}">Befriending and peer support</option>' in html


def test_a_new_language_appears_and_a_deleted_community_goes_at_once():
    community = Community.objects.create(name="Traveller community")
    client = Client()
    html = _page(client)
    assert "Traveller community" in html and "Local sign language" not in html

    Language.objects.create(code="qaa", name="Local sign language")  # a code reserved for local use
    community.delete()

    html = _page(client)
    assert '<option value="qaa">Local sign language</option>' in html
    assert "Traveller community" not in html


def test_wards_loaded_in_bulk_appear_without_a_restart():
    """A boundary load creates wards in bulk (no save signals), as another process would: its history shows it."""
    AreaFactory(name="Canal Ward", code="E05000001")
    client = Client()
    assert "Canal Ward" in _page(client)

    bulk_create_with_history([Area(area_type=AreaType.WARD, code="E05000002", name="Mill Ward", vintage=2022)], Area)

    assert '<option value="E05000002">Mill Ward</option>' in _page(client)


def test_a_chosen_filter_stays_chosen_and_a_bad_one_is_refused():
    AreaFactory(name="Canal Ward", code="E05000001")
    client = Client()
    _page(client)  # the lists are kept now

    assert '<option value="E05000001" selected>Canal Ward</option>' in _page(client, ward="E05000001")
    assert "Choose a ward from the list." in _page(client, ward="E05999999")
    html = _page(client)
    assert '<option value="E05000001">Canal Ward</option>' in html
    assert "Choose a ward from the list." not in html
    html = _page(client, open_now="on", ward="E05000001")
    assert 'name="open_now" form="search-form" class="nhsuk-checkboxes__input" id="id_open_now" checked' in html
    assert 'id="id_open_now" checked' not in _page(client, ward="E05000001")


def test_the_example_postcode_skips_any_number_of_private_places(monkeypatch):
    monkeypatch.setattr(public, "EXAMPLE_BATCH", 2)  # so the first two batches are all private places
    ward = AreaFactory()
    for code in ("RV1 1AA", "RV1 1AB", "RV1 1AD", "RV1 1AE", "RV1 2AB"):
        Postcode.objects.create(
            postcode=code, district="RV1", latitude=Decimal("51.5"), longitude=Decimal("-0.1"), ward=ward
        )
    for code, visibility in [
        ("RV1 1AA", LocationVisibility.HIDDEN),
        ("RV1 1AB", LocationVisibility.DISTRICT),
        ("RV1 1AD", LocationVisibility.HIDDEN),
        ("RV1 1AE", LocationVisibility.HIDDEN),
    ]:
        LocationFactory(postcode=code, visibility=visibility)
    LocationFactory(postcode="RV1 2AB", visibility=LocationVisibility.FULL)

    assert public.example_postcode() == "RV1 2AB"
    LocationFactory(postcode="RV1 2AB", visibility=LocationVisibility.HIDDEN)
    assert public.example_postcode() == ""


def test_the_kept_postcode_hint_never_names_a_place_made_private_since():
    """The hint is kept with the filters' lists; a place saved at its postcode as private changes it at once, in
    this process or (by the place's history) any other."""
    ward = AreaFactory()
    for code in ("RV1 1AA", "RV1 2AB"):
        Postcode.objects.create(
            postcode=code, district="RV1", latitude=Decimal("51.5"), longitude=Decimal("-0.1"), ward=ward
        )
    client = Client()
    assert "For example, RV1 1AA" in _page(client)
    refuge = LocationFactory(postcode="RV1 2AB", visibility=LocationVisibility.FULL)
    assert "For example, RV1 1AA" in _page(client)
    LocationFactory(postcode="RV1 1AA", visibility=LocationVisibility.HIDDEN)
    assert "For example, RV1 2AB" in _page(client)
    bulk_create_with_history(
        [
            Location(
                name="Refuge",
                postcode="RV1 2AB",
                visibility=LocationVisibility.HIDDEN,
                organisation=refuge.organisation,
            )
        ],
        Location,
    )
    html = _page(client)
    assert "RV1 2AB" not in html and "RV1 1AA" not in html


def test_a_search_page_asks_as_many_questions_for_twenty_results_as_for_two():
    terms = [TaxonomyTermFactory(name="Listening"), TaxonomyTermFactory(name="Advice")]
    languages = list(Language.objects.order_by("code")[:2])
    client = Client()

    def queries() -> int:
        _page(client)  # the lists are kept; count a search as every later one runs
        with CaptureQueriesContext(connection) as captured:
            html = _page(client, q="listening")
        assert "Listening support" in html
        return len(captured.captured_queries)

    for _ in range(2):
        ServiceFactory(description="Listening support", categories=terms, languages=languages)
    few = queries()
    for _ in range(25):
        ServiceFactory(description="Listening support", categories=terms, languages=languages)
    assert queries() == few


def test_each_result_lists_its_needs_and_languages_by_name():
    terms = [TaxonomyTermFactory(name="Zest for life"), TaxonomyTermFactory(name="Advice & rights")]
    named = [("qab", "Zulu test"), ("qac", "Afar test")]
    languages = [Language.objects.create(code=code, name=name) for code, name in named]
    ServiceFactory(name="Listening line", categories=terms, languages=languages, interpreter_available=True)

    html = _page(Client(), q="listening")

    assert "<strong>Helps with:</strong> Advice &amp; rights, Zest for life</p>" in html
    assert "<strong>Languages:</strong> Afar test, Zulu test. Interpreter available</p>" in html


def test_names_staff_type_are_escaped_in_the_kept_filters_on_every_request():
    """The kept markup is Django's own rendering of the form, which escapes each option; kept, it stays escaped."""
    TaxonomyTermFactory(name='<script>alert("need")</script>')
    Community.objects.create(name="<b>Bold</b> community")
    client = Client()
    for _request in range(2):  # built, then read back from what was kept
        html = _page(client)
        assert "<script>alert" not in html and "<b>Bold</b>" not in html
        assert "&lt;script&gt;alert(&quot;need&quot;)&lt;/script&gt;" in html
        assert "&lt;b&gt;Bold&lt;/b&gt; community" in html
