"""The shared ground's endpoints: reference data, postcodes and organisations."""

from decimal import Decimal

import pytest

from waymark.accounts.factories import make_persona
from waymark.core.choices import AreaType, CommunityKind, OrganisationType
from waymark.core.factories import AreaFactory, OrganisationFactory
from waymark.core.models import Community, EthnicCodeSet, EthnicGroup, Language, Organisation, Postcode, Sector, Theme
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


@pytest.fixture
def reference_data():
    """A few rows of every reference table, linked the way real ones are, beside the rows migrations load."""
    region = AreaFactory(area_type=AreaType.REGION, code="E12000002", name="North West")
    borough = AreaFactory(area_type=AreaType.LOCAL_AUTHORITY, code="E08000003", name="Borough", parent=region)
    msoa = AreaFactory(area_type=AreaType.MSOA, code="E02000001", name="Borough 001", parent=borough)
    lsoas = [
        AreaFactory(area_type=AreaType.LSOA, code=f"E0100000{i}", name=f"Borough 001{i}", parent=msoa) for i in range(3)
    ]
    ward = AreaFactory(area_type=AreaType.WARD, code="E05000001", name="Central ward")
    Postcode.objects.create(
        postcode="ZZ9 9ZZ",
        district="ZZ9",
        latitude=Decimal("53.480000"),
        longitude=Decimal("-2.240000"),
        lsoa=lsoas[0],
        ward=ward,
    )
    code_sets = [
        EthnicCodeSet.objects.create(slug=f"test-set-{i}", name=f"Test code set {i}", version="2021") for i in range(3)
    ]
    groups = [
        EthnicGroup.objects.create(code_set=code_set, code=code, label=f"Group {code}", high_level_group="Asian")
        for code_set in code_sets
        for code in ("H", "J", "K")
    ]
    languages = [
        # ISO 639-3 keeps qaa to qtz for local use, so these codes clash with no real language.
        Language.objects.create(code="qaa", name="Test language A"),
        Language.objects.create(code="qab", name="Test language B", direction="rtl"),
        Language.objects.create(code="qac", name="Test language C"),
    ]
    for i, language in enumerate(languages):
        community = Community.objects.create(
            name=f"Test community {i}", kind=CommunityKind.ETHNIC_GROUP, language=language
        )
        community.ethnic_groups.set(groups[i * 3 : i * 3 + 3])
    parent = Theme.objects.create(name="Test access", slug="test-access")
    for i in range(3):
        Theme.objects.create(name=f"Test waiting {i}", slug=f"test-waiting-{i}", parent=parent)
    return {"region": region, "borough": borough, "msoa": msoa, "ward": ward}


@pytest.mark.parametrize(
    ("url", "least_count"),
    [
        ("/api/v1/areas/", 6),
        ("/api/v1/languages/", 3),
        ("/api/v1/communities/", 3),
        ("/api/v1/themes/", 4),
        ("/api/v1/ethnic-code-sets/", 3),
    ],
)
def test_anonymous_can_read_reference_data_in_few_queries(
    api_client, reference_data, django_assert_max_num_queries, url, least_count
):
    # Throttle (six on the database cache: read, cull check, write), count, rows, one per prefetched relation.
    # The migrations load dozens of reference rows, so a query per row would blow this budget.
    with django_assert_max_num_queries(9):
        response = api_client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= least_count
    assert len(response.json()["results"]) >= least_count


def test_api_root_lists_the_endpoints(api_client):
    links = api_client.get("/api/v1/").json()
    assert links["organisations"].endswith("/api/v1/organisations/")
    assert links["postcode"].endswith("/api/v1/postcodes/{postcode}/")
    assert links["docs"].endswith("/api/v1/docs/")


def test_areas_filter_by_type_parent_and_text(api_client, reference_data):
    lsoas = api_client.get("/api/v1/areas/", {"area_type": "lsoa"}).json()["results"]
    assert {row["code"] for row in lsoas} == {"E01000000", "E01000001", "E01000002"}
    assert lsoas[0]["parent"] == {"code": "E02000001", "name": "Borough 001", "area_type": "msoa", "vintage": 2022}

    children = api_client.get("/api/v1/areas/", {"parent": "E12000002"}).json()["results"]
    assert [row["code"] for row in children] == ["E08000003"]

    found = api_client.get("/api/v1/areas/", {"q": "central"}).json()["results"]
    assert [row["name"] for row in found] == ["Central ward"]


@pytest.mark.parametrize("typed", ["ZZ9 9ZZ", "zz99zz", " zz9  9zz "])
def test_postcode_lookup_normalises_what_was_typed(api_client, reference_data, typed):
    response = api_client.get(f"/api/v1/postcodes/{typed}/")
    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == "ZZ9 9ZZ"
    assert body["lsoa"]["code"] == "E01000000"
    assert body["ward"]["name"] == "Central ward"


@pytest.mark.parametrize("typed", ["ZZ1 1ZZ", "NOTAPC"])
def test_unknown_or_malformed_postcode_is_not_found(api_client, reference_data, typed):
    response = api_client.get(f"/api/v1/postcodes/{typed}/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_code_sets_carry_their_groups_in_order(api_client, reference_data):
    body = api_client.get("/api/v1/ethnic-code-sets/test-set-0/").json()
    assert [group["code"] for group in body["groups"]] == ["H", "J", "K"]


def test_themes_filter_by_parent_slug(api_client, reference_data):
    rows = api_client.get("/api/v1/themes/", {"parent": "test-access"}).json()["results"]
    assert len(rows) == 3
    assert {row["parent"] for row in rows} == {"test-access"}


def test_communities_name_their_language_and_groups(api_client, reference_data):
    body = api_client.get("/api/v1/communities/", {"language": "qab"}).json()
    [community] = body["results"]
    assert community["language"] == "qab"
    assert {group["code_set"] for group in community["ethnic_groups"]} == {"test-set-1"}


def test_languages_by_code(api_client, reference_data):
    assert api_client.get("/api/v1/languages/qab/").json()["direction"] == "rtl"


def test_organisation_list_in_few_queries(token_client, django_assert_max_num_queries):
    sectors = [Sector.objects.create(slug=f"test-sector-{i}", name=f"Test sector {i}") for i in range(3)]
    for i in range(5):
        OrganisationFactory().sectors.set(sectors[: i % 3 + 1])
    client = token_client(make_persona(Role.STAFF))
    # Token (read, last-used write), grants, count, rows, sectors (the throttle counts in the cache).
    with django_assert_max_num_queries(6):
        response = client.get(ORGANISATIONS)
    assert response.status_code == 200
    assert response.json()["count"] == 6  # five here, and the staff member's own organisation


def test_organisation_filters(token_client):
    health = Sector.objects.create(slug="test-health", name="Test health")
    trust = OrganisationFactory(name="Riverside Trust", org_type=OrganisationType.NHS_TRUST, ods_code="RXX")
    trust.sectors.add(health)
    OrganisationFactory(name="Sylheti women's group", org_type=OrganisationType.COMMUNITY_GROUP, active=False)
    client = token_client(make_persona(Role.STAFF))

    def names(**params):
        return {row["name"] for row in client.get(ORGANISATIONS, params).json()["results"]}

    assert names(org_type="nhs_trust") == {"Riverside Trust"}
    assert names(q="women") == {"Sylheti women's group"}
    assert names(sector="test-health") == {"Riverside Trust"}
    assert names(has_ods_code="true") == {"Riverside Trust"}
    assert "Sylheti women's group" not in names(active="true")


def test_staff_creates_an_organisation_with_a_token_and_history_names_them(token_client):
    staff = make_persona(Role.STAFF)
    Sector.objects.create(slug="test-health", name="Test health")
    response = token_client(staff).post(
        ORGANISATIONS,
        {"name": "Tamil Welfare Association", "org_type": "charity", "sectors": ["test-health"], "town": "Borough"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    organisation = Organisation.objects.get(uuid=body["uuid"])
    assert response["Location"] == body["url"]
    assert [sector.slug for sector in organisation.sectors.all()] == ["test-health"]
    assert organisation.history.first().history_user == staff


def test_patch_is_audited_to_the_tokens_owner(token_client):
    organisation = OrganisationFactory()
    staff = make_persona(Role.STAFF)
    response = token_client(staff).patch(f"{ORGANISATIONS}{organisation.uuid}/", {"active": False}, format="json")
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.active is False
    assert organisation.history.first().history_user == staff


def test_bad_input_gets_400_naming_the_field(token_client):
    client = token_client(make_persona(Role.STAFF))
    response = client.post(ORGANISATIONS, {"name": "", "org_type": "castle", "website": "not a website"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == {"name", "org_type", "website"}
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())
    assert not Organisation.objects.filter(org_type="castle").exists()


def test_unknown_sector_is_named(token_client):
    client = token_client(make_persona(Role.STAFF))
    response = client.post(ORGANISATIONS, {"name": "A", "org_type": "charity", "sectors": ["nope"]}, format="json")
    assert response.status_code == 400
    assert "sectors" in response.json()["errors"]
