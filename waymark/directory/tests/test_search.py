"""Search: words, filters, opening hours, distance from a postcode, pages, and the same matches on both
engines (the expected names are typed in, so this file passing on SQLite and on PostgreSQL proves it)."""

import datetime
import importlib
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waymark.accounts.factories import make_persona
from waymark.core.factories import AreaFactory, OrganisationFactory
from waymark.core.models import Community, Language, Postcode
from waymark.directory import search, search_filters, search_index, services, views_public
from waymark.directory.choices import LocationVisibility, Weekday
from waymark.directory.factories import ScheduleFactory, ServiceFactory, TaxonomyFactory, TaxonomyTermFactory
from waymark.directory.models import Service, TaxonomyTerm
from waymark.directory.search import search_services, search_words
from waymark.directory.search_filters import SearchFilters, open_among

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY_NOON = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)


def names(results, page=1, per_page=50):
    return [service.name for service in results.page(page, per_page).object_list]


# --- Words ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Café-Zürich, 2 rooms!", ["cafe", "zzurich", "2", "rooms"]),
        ("WOMEN'S  group", ["women", "s", "group"]),
        ("pizza_night", ["pizzzza", "night"]),
        ("ﬁve Straße", ["five", "strasse"]),
        ("1e5x", ["1e5x"]),
        ("", []),
        ("!!!", []),
    ],
)
def test_search_words_are_plain_ascii_words(text, words):
    assert search_words(text) == words


def test_words_in_other_scripts_are_escaped_consistently():
    (bengali,) = search_words("বাংলা")
    assert bengali.isascii() and bengali.isalnum()
    assert search_words("বাং")[0] == bengali[: len(search_words("বাং")[0])]  # a prefix stays a prefix
    assert search_words("عَرَبِيّ") == search_words("عربي")  # short vowel marks are ignored, like accents


# --- A small borough ------------------------------------------------------------------------------------


@pytest.fixture
def borough(db):
    """Postcodes along a line east of RV1 2AA, a taxonomy with children, and a handful of services."""
    canal, market = AreaFactory(name="Canal Basin"), AreaFactory(name="Market Hill")
    points = {
        "RV1 2AA": ("51.500000", "-0.100000", canal),
        "RV1 3BB": ("51.500000", "-0.090000", canal),  # about 0.7 km east
        "RV1 4DD": ("51.500000", "-0.080000", market),  # about 1.4 km east
        "RV2 5EE": ("51.500000", "-0.050000", market),  # about 3.5 km east
        "RV2 6FF": ("51.500000", "-0.030000", market),
    }
    for code, (latitude, longitude, ward) in points.items():
        Postcode.objects.create(
            postcode=code,
            district=code.split()[0],
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            ward=ward,
        )
    taxonomy = TaxonomyFactory(name="Needs")
    counselling = TaxonomyTermFactory(taxonomy=taxonomy, code="c", name="Counselling")
    trauma = TaxonomyTermFactory(taxonomy=taxonomy, code="c-trauma", name="Trauma support", parent=counselling)
    food = TaxonomyTermFactory(taxonomy=taxonomy, code="food", name="Food banks")
    other = TaxonomyTermFactory(name="Other taxonomy's term")
    somali, polish = Language.objects.get(code="som"), Language.objects.get(code="pol")
    refugees = Community.objects.get(name="Refugees and people seeking asylum")
    staff = make_persona(None)
    kingsmead = OrganisationFactory(name="Kingsmead Community Association")

    def service(name, description, postcode=None, visibility=LocationVisibility.FULL, **data):
        created = services.create_service(
            actor=staff,
            organisation=data.pop("organisation", kingsmead),
            data={"name": name, "description": description, "phone": "020 7946 0001", "published": True, **data},
        )
        if postcode:
            location = services.create_location(
                actor=staff,
                organisation=created.organisation,
                data={"name": f"{name} venue", "postcode": postcode, "visibility": visibility},
            )
            services.set_service_locations(actor=staff, service=created, locations=[location])
        return created

    service(
        "Hooyo Counselling",
        "Counselling for Somali women, in Somali.",
        "RV1 3BB",
        categories=[counselling],
        languages=[somali],
        self_referral=True,
        minimum_age=18,
    )
    service(
        "Sanctuary Trauma Clinic",
        "Trauma-informed therapy after torture or war.",
        "RV1 4DD",
        categories=[trauma],
        communities=[refugees],
        gp_referral=True,
        professional_referral=True,
        is_free=False,
        fees_description="Sliding scale.",
    )
    service(
        "Polish Café Drop-in",
        "Kawa i rozmowa: coffee and a chat for Polish speakers.",
        "RV2 5EE",
        languages=[polish],
        self_referral=True,
    )
    service(
        "Market Hill Food Bank",
        "Emergency food parcels and benefits advice.",
        "RV2 6FF",
        categories=[food, other],
        self_referral=True,
        professional_referral=True,
    )
    service(
        "Young Minds Mentoring",
        "Mentoring for young people aged 11 to 25 who are stressed or struggling.",
        "RV1 2AA",
        visibility=LocationVisibility.HIDDEN,
        minimum_age=11,
        maximum_age=25,
        self_referral=True,
    )
    service(
        "Elders' Lunch Club",
        "A hot meal and company for older people.",
        "RV2 5EE",
        visibility=LocationVisibility.DISTRICT,
        minimum_age=60,
        self_referral=True,
    )
    service("Helpline", "Call us day or night for confidential emotional support.", self_referral=True)
    hidden_draft = service("Somali Draft Service", "Not ready yet.", "RV1 2AA")
    services.update_service(actor=staff, service=hidden_draft, data={"published": False})
    return {
        "counselling": counselling,
        "trauma": trauma,
        "food": food,
        "taxonomy": taxonomy,
        "somali": somali,
        "polish": polish,
        "refugees": refugees,
        "canal": canal,
        "market": market,
        "staff": staff,
    }


def public():
    return Service.objects.visible_to(None)


def as_if_many(monkeypatch, *, too_many_to_rank=False, few_of_all=False):
    """Make search take the paths it takes for many matches: relevance group by group, nearby first,
    walking the name index testing each service (and, with ``too_many_to_rank``, names instead of ranks
    in each group; with ``few_of_all``, walking it for the ids the search index found). Groups listed by
    name on SQLite are walked asking the index about each service, or (with ``too_many_to_rank``) walked for
    their ids read first, or (with ``few_of_all``) sorted."""
    monkeypatch.setattr(search, "ALL_AT_ONCE_UP_TO", 0)
    monkeypatch.setattr(search, "MEASURE_ALL_UP_TO", 0)
    monkeypatch.setattr(search, "NAME_INDEX_FROM", 0)
    monkeypatch.setattr(search, "NAME_WALK_BY_INDEX_FRACTION", 0 if few_of_all else 10**9)
    monkeypatch.setattr(search, "LOOK_UP_IDS_UP_TO", 0)  # ids known beforehand tested in a pass over the matches
    if not few_of_all:
        monkeypatch.setattr(search, "DENSE_GROUP_FACTOR", 10**9 if too_many_to_rank else 0)
        monkeypatch.setattr(search, "SMALL_GROUP_FACTOR", 0)
    if too_many_to_rank:
        monkeypatch.setattr(search, "RANK_UP_TO", 0)


@pytest.fixture(params=["few", "many", "too many to rank", "many, a small share of all"])
def strategy(request, monkeypatch):
    """Run a test each way search can order results."""
    if request.param != "few":
        as_if_many(
            monkeypatch,
            too_many_to_rank=request.param == "too many to rank",
            few_of_all=request.param == "many, a small share of all",
        )
    return request.param


# --- The same matches on both engines ---------------------------------------------------------------------

CASES = [
    ("couns", {}, {"Hooyo Counselling", "Sanctuary Trauma Clinic"}),  # its need's parent is Counselling
    ("COUNSELLING somali", {}, {"Hooyo Counselling"}),
    ("somali", {}, {"Hooyo Counselling"}),  # the unpublished Somali draft is not public
    ("trauma", {}, {"Sanctuary Trauma Clinic"}),
    ("cafe", {}, {"Polish Café Drop-in"}),
    ("café", {}, {"Polish Café Drop-in"}),
    ("drop in", {}, {"Polish Café Drop-in"}),
    ("dropin", {}, set()),
    (
        "kingsmead",
        {},
        {
            "Hooyo Counselling",
            "Sanctuary Trauma Clinic",
            "Polish Café Drop-in",
            "Market Hill Food Bank",
            "Young Minds Mentoring",
            "Elders' Lunch Club",
            "Helpline",
        },
    ),
    ("refugees", {}, {"Sanctuary Trauma Clinic"}),  # the community served
    ("polish", {}, {"Polish Café Drop-in"}),  # name, description and the language spoken
    ("counselling", {"need": "trauma"}, {"Sanctuary Trauma Clinic"}),
    ("", {"need": "counselling"}, {"Hooyo Counselling", "Sanctuary Trauma Clinic"}),  # and its children
    ("", {"need": "trauma"}, {"Sanctuary Trauma Clinic"}),
    ("", {"taxonomy": "taxonomy"}, {"Hooyo Counselling", "Sanctuary Trauma Clinic", "Market Hill Food Bank"}),
    ("", {"language": "polish"}, {"Polish Café Drop-in"}),
    ("", {"community": "refugees"}, {"Sanctuary Trauma Clinic"}),
    ("", {"ward": "canal"}, {"Hooyo Counselling"}),  # the hidden and district-only venues are not counted
    ("", {"ward": "market"}, {"Sanctuary Trauma Clinic", "Polish Café Drop-in", "Market Hill Food Bank"}),
    ("", {"referral": "gp"}, {"Sanctuary Trauma Clinic"}),
    ("food", {"referral": "professional"}, {"Market Hill Food Bank"}),
    ("trauma", {"free": True}, set()),
    (
        "",
        {"minimum_age": 65, "maximum_age": 65},
        {
            "Hooyo Counselling",
            "Sanctuary Trauma Clinic",
            "Polish Café Drop-in",
            "Market Hill Food Bank",
            "Elders' Lunch Club",
            "Helpline",
        },
    ),
    (
        "",
        {"minimum_age": 14, "maximum_age": 14},
        {
            "Sanctuary Trauma Clinic",
            "Polish Café Drop-in",
            "Market Hill Food Bank",
            "Young Minds Mentoring",
            "Helpline",
        },
    ),
    ("support", {}, {"Helpline", "Sanctuary Trauma Clinic"}),
    ("emotional support night", {}, {"Helpline"}),
    ("xyzzy", {}, set()),
]


@pytest.mark.parametrize(("text", "filters", "expected"), CASES)
def test_both_engines_find_the_same_services(borough, strategy, text, filters, expected):
    values = {name: borough.get(value, value) if isinstance(value, str) else value for name, value in filters.items()}
    results = search_services(public(), text=text, filters=SearchFilters(**values))
    assert set(names(results)) == expected
    assert results.total == len(expected)
    staff_view = search_services(Service.objects.all(), text=text, filters=SearchFilters(**values))
    assert set(names(staff_view)) >= expected
    located = search_services(public(), text=text, filters=SearchFilters(**values), postcode="RV1 2AA")
    assert set(names(located)) == expected


# --- Order, distance and pages --------------------------------------------------------------------------


def test_relevance_orders_text_matches_and_name_orders_the_rest(borough, strategy):
    results = search_services(public(), text="somali")
    assert names(results) == ["Hooyo Counselling"]
    everything = search_services(public())
    assert names(everything) == sorted(names(everything))


def test_postcode_sorts_by_distance_to_public_points_only(borough, strategy):
    results = search_services(public(), postcode="rv1 2aa")
    assert results.postcode_used == "RV1 2AA"
    assert results.postcode_note == ""
    page = results.page(1).object_list
    assert [service.name for service in page] == [
        "Hooyo Counselling",  # 0.7 km
        "Sanctuary Trauma Clinic",  # 1.4 km
        "Polish Café Drop-in",  # 3.5 km
        "Elders' Lunch Club",  # district-only: measured from the middle of RV2, not from its venue at 3.5 km
        "Market Hill Food Bank",  # 4.9 km
        "Helpline",  # no location: after the placed ones, by name
        "Young Minds Mentoring",  # hidden: never measured, so never reveals where it is
    ]
    assert page[0].distance_km == pytest.approx(0.69, abs=0.02)
    assert page[-1].distance_km is None


def test_distance_ties_are_settled_by_relevance(borough):
    staff = borough["staff"]
    organisation = OrganisationFactory()
    location = services.create_location(
        actor=staff, organisation=organisation, data={"name": "Shared hall", "postcode": "RV2 6FF"}
    )
    for name, description in [
        ("Aardvark Group", "counselling"),
        ("Zebra Group", "counselling counselling counselling"),
    ]:
        created = services.create_service(
            actor=staff,
            organisation=organisation,
            data={"name": name, "description": description, "phone": "0", "published": True},
        )
        services.set_service_locations(actor=staff, service=created, locations=[location])
    results = search_services(public(), text="counselling", postcode="RV2 6FF")
    assert names(results)[:2] == ["Zebra Group", "Aardvark Group"]


def test_unknown_postcode_falls_back_to_its_district_and_says_so(borough):
    results = search_services(public(), postcode="RV1 9ZZ")
    assert results.postcode_used == "RV1"
    assert "RV1 9ZZ" in results.postcode_note and "RV1" in results.postcode_note
    assert results.page(1).object_list[0].distance_km is not None


def test_district_alone_is_a_place_to_measure_from(borough):
    results = search_services(public(), postcode="rv2")
    assert (results.postcode_used, results.postcode_note) == ("RV2", "")
    assert names(results)[0] == "Elders' Lunch Club"  # at the middle of RV2 itself


def test_unknown_district_says_so_and_sorts_by_relevance(borough):
    results = search_services(public(), text="somali counselling", postcode="ZZ9 9ZZ")
    assert results.postcode_used == ""
    assert "ZZ9" in results.postcode_note
    assert names(results) == ["Hooyo Counselling"]
    assert results.page(1).object_list[0].distance_km is None


def test_text_that_is_not_a_postcode_says_so(borough):
    results = search_services(public(), postcode="the library")
    assert results.postcode_used == ""
    assert "not a UK postcode" in results.postcode_note


def test_results_come_in_pages(borough, strategy):
    results = search_services(public())
    assert results.total == 7
    first, last = results.page(1, per_page=3), results.page(3, per_page=3)
    assert len(first.object_list) == 3 and len(last.object_list) == 1
    assert first.paginator.num_pages == 3
    assert results.page("not a number", per_page=3).number == 1
    assert results.page(99, per_page=3).number == 3
    seen = [s.name for number in (1, 2, 3) for s in results.page(number, per_page=3).object_list]
    assert seen == sorted(seen) and len(set(seen)) == 7


def test_both_strategies_give_the_same_order(borough, monkeypatch):
    def orders():
        return [
            [(s.name, s.distance_km) for s in search_services(public(), **query).page(number, 3).object_list]
            for query in ({"postcode": "RV1 2AA"}, {"text": "kingsmead", "postcode": "RV1 2AA"}, {"text": "co"}, {})
            for number in (1, 2, 3)
        ]

    few = orders()
    as_if_many(monkeypatch)
    assert orders() == few


def test_name_matches_come_before_other_matches(borough, strategy):
    """Every word in the name first, then some words in the name, then the rest."""
    staff = borough["staff"]
    organisation = OrganisationFactory()
    for name, description in [
        ("Aardvark Group", "Emergency food, food and food."),
        ("Zebra Food Club", "Meals."),
        ("Emergency Food Line", "Call us."),
    ]:
        services.create_service(
            actor=staff,
            organisation=organisation,
            data={"name": name, "description": description, "phone": "0", "published": True},
        )
    found = names(search_services(public(), text="food"))
    assert found == ["Emergency Food Line", "Market Hill Food Bank", "Zebra Food Club", "Aardvark Group"]
    found = names(search_services(public(), text="emergency food"))
    assert found == ["Emergency Food Line", "Market Hill Food Bank", "Aardvark Group"]


def test_relevance_groups_page_one_service_at_a_time(borough, strategy):
    """Pages that end, start or fall wholly inside each relevance group agree with the whole list."""
    staff = borough["staff"]
    organisation = OrganisationFactory()
    for name, description in [
        ("Aardvark Group", "Emergency food, food and food."),
        ("Zebra Food Club", "Emergency meals."),
        ("Emergency Food Line", "Call us."),
    ]:
        services.create_service(
            actor=staff,
            organisation=organisation,
            data={"name": name, "description": description, "phone": "0", "published": True},
        )
    results = search_services(public(), text="emergency food")
    whole = names(results)
    assert whole[0] == "Emergency Food Line" and whole[-1] == "Aardvark Group" and len(whole) == 4
    for per_page in (1, 2, 3):
        pages = -(-len(whole) // per_page)
        paged = [name for number in range(1, pages + 1) for name in names(results, number, per_page)]
        assert paged == whole, per_page


def test_a_search_asked_to_count_so_far_says_there_are_more_and_still_pages(borough, client, monkeypatch):
    """Past the count, each relevance group is listed by name, as when it is too big to rank."""
    with monkeypatch.context() as unranked:
        unranked.setattr(search, "ALL_AT_ONCE_UP_TO", 0)
        unranked.setattr(search, "RANK_UP_TO", 0)
        everything = names(search_services(public(), text="kingsmead"))
    assert len(everything) > 3
    results = search_services(public(), text="kingsmead", count_up_to=3)
    assert (results.total, results.more_than) == (3, True)
    assert names(results, 1, 2) + names(results, 2, 2) == everything[:3]
    few = search_services(public(), text="kingsmead", count_up_to=len(everything))
    assert (few.total, few.more_than) == (len(everything), False)
    monkeypatch.setattr(views_public, "COUNT_UP_TO", 3)
    page = client.get(reverse("directory:search"), {"q": "kingsmead"}).content.decode()
    assert "More than 3 services" in page and page.count('class="waymark-result"') == 3
    assert "More than 3 services" in client.get(reverse("directory:map"), {"q": "kingsmead"}).content.decode()
    api = client.get("/api/v1/directory/services/", {"text": "kingsmead"}).json()
    assert api["total_items"] == len(everything)  # the API counts every match


def test_a_first_page_of_name_matches_counts_only_the_matches(borough, monkeypatch):
    """With many matches, the page is read group by group; a group is counted in full only when the page runs past
    it (how a group is listed may count it as far as the choice needs)."""
    as_if_many(monkeypatch)
    results = search_services(public(), text="kingsmead counselling")
    with CaptureQueriesContext(connection) as queries:
        assert names(results, 1, 1) == ["Hooyo Counselling"]
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    in_full = [sql for sql in counts if "LIMIT" not in sql.upper()]
    assert len(in_full) == 1 and "title" not in in_full[0]


def test_results_carry_what_a_results_list_shows(borough, django_assert_max_num_queries):
    results = search_services(public(), text="counselling", postcode="RV1 2AA")
    with django_assert_max_num_queries(10):
        shown = [
            (s.organisation.name, list(s.categories.all()), list(s.languages.all()), list(s.locations.all()))
            for s in results.page(1).object_list
        ]
    assert shown


# --- Opening hours --------------------------------------------------------------------------------------


@pytest.fixture
def weekday_service(db):
    service = ServiceFactory(name="Monday Drop-in")
    staff = make_persona(None)
    services.replace_schedules(
        actor=staff,
        service=service,
        schedules=[{"weekday": Weekday.MO, "opens_at": datetime.time(10), "closes_at": datetime.time(14)}],
    )
    return service


def is_open_at(service, moment):
    return service.pk in open_among([service.pk], moment)


def open_now(moment):
    return set(names(search_services(public(), filters=SearchFilters(open_now=True), now=moment)))


def test_open_now_follows_the_weekly_hours(weekday_service):
    assert is_open_at(weekday_service, MONDAY_NOON)
    assert open_now(MONDAY_NOON) == {"Monday Drop-in"}
    two_pm = MONDAY_NOON.replace(hour=14)
    assert not is_open_at(weekday_service, two_pm)
    assert open_now(two_pm) == set()
    assert open_now(MONDAY_NOON + datetime.timedelta(days=1)) == set()


def test_open_now_reads_hours_of_every_opening_time_up_to_now(db):
    """Hours opening at many times of the day: open from the minute they open until the minute they close."""
    staff = make_persona(None)
    day = [(8, 9), (9, 12), (9, 13), (10, 11), (11, 15), (12, 13), (13, 17), (17, 21)]
    for opens, closes in day:
        service = ServiceFactory(name=f"Open {opens} to {closes}")
        hours = {"weekday": Weekday.MO, "opens_at": datetime.time(opens), "closes_at": datetime.time(closes)}
        services.replace_schedules(actor=staff, service=service, schedules=[hours])
    other_day = ServiceFactory(name="Tuesdays")
    tuesday = {"weekday": Weekday.TU, "opens_at": datetime.time(7), "closes_at": datetime.time(23)}
    services.replace_schedules(actor=staff, service=other_day, schedules=[tuesday])
    for hour in range(6, 23):
        moment = MONDAY_NOON.replace(hour=hour, minute=0)
        expected = {f"Open {opens} to {closes}" for opens, closes in day if opens <= hour < closes}
        assert open_now(moment) == expected, hour
        assert {s.name for s in Service.objects.filter(pk__in=search_filters.open_at(moment))} == expected, hour


def test_open_now_uses_local_time(weekday_service):
    # 10:30 in London on a summer Monday is 09:30 UTC.
    summer = datetime.datetime(2026, 6, 1, 9, 30, tzinfo=datetime.UTC)
    assert is_open_at(weekday_service, summer)
    assert open_now(summer) == {"Monday Drop-in"}


def test_a_holiday_exception_closes_or_changes_the_hours(weekday_service):
    staff = make_persona(None)
    day = MONDAY_NOON.date()
    services.replace_holiday_exceptions(
        actor=staff, service=weekday_service, exceptions=[{"starts_on": day, "ends_on": day, "closed": True}]
    )
    weekday_service = Service.objects.get(pk=weekday_service.pk)
    assert not is_open_at(weekday_service, MONDAY_NOON)
    assert open_now(MONDAY_NOON) == set()

    services.replace_holiday_exceptions(
        actor=staff,
        service=weekday_service,
        exceptions=[
            {
                "starts_on": day,
                "ends_on": day,
                "closed": False,
                "opens_at": datetime.time(15),
                "closes_at": datetime.time(18),
            }
        ],
    )
    weekday_service = Service.objects.get(pk=weekday_service.pk)
    at_four = MONDAY_NOON.replace(hour=16)
    assert not is_open_at(weekday_service, MONDAY_NOON) and is_open_at(weekday_service, at_four)
    assert open_now(MONDAY_NOON) == set() and open_now(at_four) == {"Monday Drop-in"}


@pytest.fixture
def odd_hours(db):
    """Services whose hours begin and end off the half hour, close just before midnight, change on a holiday, or
    open only on one; written the ways staff, imports and factories write them."""
    staff = make_persona(None)
    monday = MONDAY_NOON.date()

    def service(name, hours, exceptions=()):
        made = ServiceFactory(name=name)
        services.replace_schedules(
            actor=staff,
            service=made,
            schedules=[
                {"weekday": day, "opens_at": datetime.time(*opens), "closes_at": datetime.time(*closes)}
                for day, opens, closes in hours
            ],
        )
        services.replace_holiday_exceptions(actor=staff, service=made, exceptions=list(exceptions))
        return made

    service("Ten past nine", [(Weekday.MO, (9, 10), (11, 50))])
    service("Split day", [(Weekday.MO, (8, 0), (10, 45)), (Weekday.MO, (10, 50), (12, 20))])
    service("Late", [(Weekday.MO, (21, 0), (23, 59, 59))])
    service("Whole slots", [(Weekday.MO, (9, 0), (17, 0))])
    service(
        "Shut on the day",
        [(Weekday.MO, (9, 0), (17, 0))],
        [{"starts_on": monday, "ends_on": monday, "closed": True}],
    )
    service(
        "Other hours on the day",
        [(Weekday.MO, (9, 0), (12, 0))],
        [
            {
                "starts_on": monday,
                "ends_on": monday,
                "closed": False,
                "opens_at": datetime.time(13, 5),
                "closes_at": datetime.time(15, 55),
            }
        ],
    )
    service(
        "Special opening only",
        [],
        [
            {
                "starts_on": monday,
                "ends_on": monday,
                "closed": False,
                "opens_at": datetime.time(18),
                "closes_at": datetime.time(19, 30),
            }
        ],
    )
    service(
        "Special hours another week",
        [(Weekday.MO, (9, 0), (10, 0))],
        [
            {
                "starts_on": monday - datetime.timedelta(days=7),
                "ends_on": monday - datetime.timedelta(days=7),
                "closed": False,
                "opens_at": datetime.time(20),
                "closes_at": datetime.time(21),
            }
        ],
    )
    late_addition = ServiceFactory(name="Hours added later")
    ScheduleFactory(
        service=late_addition, weekday=Weekday.MO, opens_at=datetime.time(7, 40), closes_at=datetime.time(9, 5)
    )


def test_open_now_from_the_index_agrees_with_the_hours_minute_by_minute(odd_hours, strategy):
    """The index marks half hours; every moment of the day, open now finds exactly what the hours say."""
    midnight = MONDAY_NOON.replace(hour=0)
    moments = [midnight + datetime.timedelta(minutes=minutes) for minutes in range(0, 24 * 60, 5)]
    moments += [MONDAY_NOON.replace(hour=hour, minute=minute) for hour, minute in [(9, 9), (11, 49), (23, 59)]]
    seen = set()
    for moment in moments:
        expected = {service.name for service in Service.objects.filter(pk__in=search_filters.open_at(moment))}
        assert open_now(moment) == expected, moment
        seen |= expected
    assert len(seen) == 8  # each service but the one shut that day was open at some moment


def test_open_now_follows_a_change_of_hours(odd_hours):
    at_ten = MONDAY_NOON.replace(hour=10)
    assert "Whole slots" in open_now(at_ten)
    service = Service.objects.get(name="Whole slots")
    schedule = service.schedules.get()
    schedule.opens_at = datetime.time(10, 30)
    schedule.save()
    assert "Whole slots" not in open_now(at_ten)
    schedule.delete()
    assert "Whole slots" not in open_now(MONDAY_NOON)
    assert "Special opening only" in open_now(MONDAY_NOON.replace(hour=18))
    Service.objects.get(name="Special opening only").holiday_exceptions.get().delete()
    assert "Special opening only" not in open_now(MONDAY_NOON.replace(hour=18))


def test_open_now_with_words(odd_hours):
    at_ten = MONDAY_NOON.replace(hour=10)
    found = search_services(public(), text="split", filters=SearchFilters(open_now=True), now=at_ten)
    assert names(found) == ["Split day"]
    found = search_services(public(), text="split", filters=SearchFilters(open_now=True), now=at_ten.replace(minute=47))
    assert names(found) == []


def test_open_now_nearest_first_keeps_the_order_of_the_whole_list(borough, strategy):
    staff = make_persona(None)
    located = names(search_services(public(), postcode="RV1 2AA"))
    for name, opens in zip(located[:4], [(9, 0), (10, 10), (10, 40), (8, 55)], strict=True):
        hours = {"weekday": Weekday.MO, "opens_at": datetime.time(*opens), "closes_at": datetime.time(16)}
        services.replace_schedules(actor=staff, service=Service.objects.get(name=name), schedules=[hours])
    at = MONDAY_NOON.replace(hour=10, minute=20)
    found = search_services(public(), filters=SearchFilters(open_now=True), postcode="RV1 2AA", now=at)
    assert names(found) == [located[0], located[1], located[3]]
    assert found.total == 3


def test_day_and_time_filters_find_hours_that_overlap(weekday_service):
    def found(**filters):
        return set(names(search_services(public(), filters=SearchFilters(**filters))))

    assert found(day=Weekday.MO) == {"Monday Drop-in"}
    assert found(day=Weekday.TU) == set()
    assert found(start_time=datetime.time(13)) == {"Monday Drop-in"}
    assert found(start_time=datetime.time(14)) == set()
    assert found(end_time=datetime.time(10)) == set()
    assert found(day=Weekday.MO, start_time=datetime.time(9), end_time=datetime.time(11)) == {"Monday Drop-in"}


def test_needs_taxonomy_is_loaded_with_two_levels():
    crisis = TaxonomyTerm.objects.get(taxonomy__name="Waymark needs", code="crisis")
    assert crisis.name == "Crisis support"
    assert {term.code for term in crisis.children.all()} >= {"crisis-out-of-hours", "crisis-safe-spaces"}
    assert TaxonomyTerm.objects.get(code="refugee-asylum-legal").parent.code == "refugee-asylum"


def test_a_rebuild_in_slices_finds_what_the_saved_services_were_found_by(borough, monkeypatch):
    """The whole index is rebuilt a slice of services at a time; every slice's services are found after it."""
    queries = [{"text": "kingsmead"}, {"text": "counselling"}, {"filters": SearchFilters(need=borough["food"])}, {}]
    before = [names(search_services(public(), **query)) for query in queries]
    monkeypatch.setattr(search_index, "_REBUILD_SLICE", 3)
    assert services.rebuild_search_index() == Service.objects.count() > 3
    assert [names(search_services(public(), **query)) for query in queries] == before


def test_public_searches_leave_out_hidden_services_rather_than_ask_for_public_ones(borough, strategy):
    """Nearly every service is public, and the index reads the whole list of every word it is asked for.
    (PostgreSQL still weighs the matches by a query naming the public marker, so their order is as before.)"""
    with CaptureQueriesContext(connection) as queries:
        for query in ({"text": "somali"}, {"filters": SearchFilters(need=borough["counselling"])}, {}):
            results = search_services(public(), **query)
            assert "Somali Draft Service" not in names(results)
    asked = [query["sql"].split("ts_rank")[0] for query in queries.captured_queries]
    assert not [sql for sql in asked if search_index.PUBLIC_MARKER in sql]
    assert any(search_index.HIDDEN_MARKER in sql for sql in asked)


def test_an_index_written_before_the_hidden_marker_is_marked_by_the_migration(borough):
    """Services without the public marker get the hidden one, so no public search finds an unpublished one."""
    migration = importlib.import_module("waymark.directory.migrations.0009_search_hidden_marker")
    draft = Service.objects.get(name="Somali Draft Service")
    with connection.cursor() as cursor:  # as the index was written before
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE directory_service_fts SET body = replace(body, ' zhid', '')")
        else:
            cursor.execute("UPDATE directory_service SET search_vector = ts_delete(search_vector, 'zhid')")
    if connection.vendor == "sqlite":  # PostgreSQL asks for the public marker, so it never relied on this one
        assert "Somali Draft Service" in names(search_services(public(), text="somali"))
    with connection.cursor() as cursor:  # what the migration's schema editor does with the SQL it is given
        migration.mark_hidden_services(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert names(search_services(public(), text="somali")) == ["Hooyo Counselling"]
    assert draft in search_services(Service.objects.all(), text="somali").page(1).object_list


def test_an_index_written_before_the_opening_hours_markers_gets_them_from_the_migration(odd_hours, monkeypatch):
    migration = importlib.import_module("waymark.directory.migrations.0011_search_opening_hours")
    with monkeypatch.context() as before:  # the index as it was written before
        before.setattr(search_index, "opening_markers", lambda hours: [])
        before.setattr(search_index, "SPECIAL_HOURS_MARKER", "zbefore")
        search_index.rebuild_index()
    assert open_now(MONDAY_NOON) == set()
    migration.mark_opening_hours(django_apps, SimpleNamespace(connection=connection))
    for hour, minute in [(9, 5), (9, 10), (11, 55), (13, 5), (18, 0), (23, 59)]:
        moment = MONDAY_NOON.replace(hour=hour, minute=minute)
        expected = {service.name for service in Service.objects.filter(pk__in=search_filters.open_at(moment))}
        assert expected and open_now(moment) == expected, moment


@pytest.mark.parametrize("text", ["couns", "counselling", "support somali", "drop in", "kingsmead women", "zzz"])
def test_words_looked_for_as_the_whole_words_they_begin_find_what_prefixes_find(borough, monkeypatch, text):
    expected = names(search_services(public(), text=text))
    monkeypatch.setattr(search, "WHOLE_WORDS_UP_TO", 0)  # every word longer than the prefix index as a prefix
    assert names(search_services(public(), text=text)) == expected


def test_a_word_written_since_is_found_by_its_beginning(borough):
    ServiceFactory(name="Zebrafish Aquarium Club", description="Quiet time watching the fish.")
    assert names(search_services(public(), text="zebraf")) == ["Zebrafish Aquarium Club"]
    assert names(search_services(public(), text="aquarium quiet")) == ["Zebrafish Aquarium Club"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite keeps a table of the index's words")
def test_the_words_of_an_index_written_before_are_listed_by_the_migration(borough):
    migration = importlib.import_module("waymark.directory.migrations.0012_search_terms")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {search_index.TERMS_TABLE}")
        migration.create_terms(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert search_index.prefixed("counsel", 5) == ["counselling"]
    assert search_index.prefixed("zpu", 5) == []  # the markers are not words anyone can type
    assert names(search_services(public(), text="counselling somali")) == ["Hooyo Counselling"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's index asks for the public marker")
def test_an_unfiltered_public_search_counts_every_service_less_the_hidden_ones(borough, strategy):
    """Counting the few hidden services is quicker than counting nearly all of them; the count is the same."""
    closed = Service.objects.get(name="Helpline")
    services.update_service(actor=borough["staff"], service=closed, data={"status": "defunct"})
    for query in ({}, {"postcode": "RV1 2AA"}):
        with CaptureQueriesContext(connection) as queries:
            results = search_services(public(), **query)
            assert results.total == public().count() == 6
        assert any(search_index.HIDDEN_MARKER in query["sql"] for query in queries.captured_queries)
        assert len(names(results)) == 6 and "Helpline" not in names(results)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite counts the hidden services in its index")
def test_an_unfiltered_public_search_on_postgresql_does_not_ask_the_index(borough, strategy):
    """Asking the index for nearly every public service costs more than reading the table."""
    for query in ({}, {"postcode": "RV1 2AA"}):
        with CaptureQueriesContext(connection) as queries:
            results = search_services(public(), **query)
            names(results)
        assert not [query["sql"] for query in queries.captured_queries if "search_vector" in query["sql"]]
    assert search_services(public()).total == public().count() == 7


def test_a_search_from_a_postcode_with_few_matches_reads_them_once_without_counting(borough):
    """The matches are all measured, so their ids are read (as many as would be measured, at most) and counted."""
    results = search_services(public(), text="kingsmead", postcode="RV1 2AA")
    with CaptureQueriesContext(connection) as queries:
        assert results.total == 7 and len(names(results)) == 7
    assert not [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
