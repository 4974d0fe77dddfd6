"""Clash detection: two consultations clash when they ask a shared community about the same or related
themes (same theme, same parent, parent and child) within the window either side; never otherwise."""

import datetime

import pytest
from django.test import override_settings

from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.clashes import clashes_among, clashes_of, days_apart, find_clashes
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.partnership.models import Consultation

pytestmark = pytest.mark.django_db

START = datetime.date(2027, 3, 1)
END = datetime.date(2027, 3, 14)


@pytest.fixture
def taxonomy():
    health = ThemeFactory(name="Health", slug="t-health")
    crisis = ThemeFactory(name="Crisis care", slug="t-crisis", parent=health)
    talking = ThemeFactory(name="Talking therapies", slug="t-talking", parent=health)
    housing = ThemeFactory(name="Housing", slug="t-housing")
    repairs = ThemeFactory(name="Repairs", slug="t-repairs", parent=housing)
    return {"health": health, "crisis": crisis, "talking": talking, "housing": housing, "repairs": repairs}


@pytest.fixture
def somali():
    return CommunityFactory(name="Somali")


def _existing(community, theme, *, starts_on=START, ends_on=END, status=ConsultationStatus.PLANNED):
    return ConsultationFactory(
        starts_on=starts_on, ends_on=ends_on, status=status, communities=[community], themes=[theme]
    )


def _clashes(community, theme, *, starts_on=START, ends_on=END):
    return find_clashes(starts_on=starts_on, ends_on=ends_on, community_ids=[community.pk], theme_ids=[theme.pk])


def test_same_community_same_theme_overlapping_dates_clash(taxonomy, somali):
    other = _existing(somali, taxonomy["crisis"])
    (clash,) = _clashes(somali, taxonomy["crisis"])
    assert clash.other == other
    assert clash.communities == [somali]
    assert clash.themes == [taxonomy["crisis"]]
    assert clash.days_apart == 0


def test_sibling_themes_under_one_parent_clash(taxonomy, somali):
    _existing(somali, taxonomy["talking"])
    (clash,) = _clashes(somali, taxonomy["crisis"])
    assert clash.themes == [taxonomy["talking"]]


def test_a_theme_and_its_parent_clash(taxonomy, somali):
    _existing(somali, taxonomy["health"])
    assert len(_clashes(somali, taxonomy["crisis"])) == 1
    assert len(_clashes(somali, taxonomy["health"])) == 1


def test_unrelated_themes_do_not_clash(taxonomy, somali):
    _existing(somali, taxonomy["repairs"])
    assert _clashes(somali, taxonomy["crisis"]) == []
    # two top-level themes share no parent
    assert _clashes(somali, taxonomy["health"]) == []


def test_different_communities_do_not_clash(taxonomy, somali):
    _existing(CommunityFactory(name="Bangladeshi"), taxonomy["crisis"])
    assert _clashes(somali, taxonomy["crisis"]) == []


@pytest.mark.parametrize(("gap_days", "clashes"), [(14, True), (15, False)])
def test_the_window_either_side(taxonomy, somali, gap_days, clashes):
    # an earlier consultation ending gap_days before ours starts, and a later one starting gap_days after ours ends
    _existing(
        somali,
        taxonomy["crisis"],
        starts_on=START - datetime.timedelta(days=gap_days + 10),
        ends_on=START - datetime.timedelta(days=gap_days),
    )
    _existing(
        somali,
        taxonomy["crisis"],
        starts_on=END + datetime.timedelta(days=gap_days),
        ends_on=END + datetime.timedelta(days=gap_days + 10),
    )
    found = _clashes(somali, taxonomy["crisis"])
    assert len(found) == (2 if clashes else 0)
    assert all(clash.days_apart == gap_days for clash in found)


@override_settings(CONSULTATION_CLASH_WINDOW_DAYS=0)
def test_the_window_is_a_setting(taxonomy, somali):
    _existing(
        somali, taxonomy["crisis"], starts_on=END + datetime.timedelta(days=1), ends_on=END + datetime.timedelta(days=5)
    )
    assert _clashes(somali, taxonomy["crisis"]) == []


def test_closed_reported_and_cancelled_consultations_ask_nothing(taxonomy, somali):
    for status in (ConsultationStatus.CLOSED, ConsultationStatus.REPORTED, ConsultationStatus.CANCELLED):
        _existing(somali, taxonomy["crisis"], status=status)
    assert _clashes(somali, taxonomy["crisis"]) == []
    opened = _existing(somali, taxonomy["crisis"], status=ConsultationStatus.OPEN)
    assert [clash.other for clash in _clashes(somali, taxonomy["crisis"])] == [opened]


def test_a_saved_consultation_does_not_clash_with_itself(taxonomy, somali):
    mine = _existing(somali, taxonomy["crisis"])
    assert clashes_of(mine) == []
    other = _existing(somali, taxonomy["talking"])
    assert [clash.other for clash in clashes_of(mine)] == [other]
    assert [clash.other for clash in clashes_of(other)] == [mine]


def test_the_calendar_finds_the_same_clashes_in_a_few_queries(taxonomy, somali, django_assert_max_num_queries):
    bangladeshi = CommunityFactory(name="Bangladeshi")
    first = _existing(somali, taxonomy["crisis"])
    second = _existing(
        somali,
        taxonomy["talking"],
        starts_on=END + datetime.timedelta(days=3),
        ends_on=END + datetime.timedelta(days=9),
    )
    alone = _existing(bangladeshi, taxonomy["crisis"])
    far = _existing(
        somali,
        taxonomy["crisis"],
        starts_on=START + datetime.timedelta(days=90),
        ends_on=START + datetime.timedelta(days=95),
    )
    for index in range(10):
        _existing(CommunityFactory(name=f"Community {index}"), taxonomy["repairs"])
    page = list(Consultation.objects.prefetch_related("communities", "themes"))
    with django_assert_max_num_queries(5):
        found = clashes_among(page)
    assert {pk: [clash.other for clash in clashes] for pk, clashes in found.items()} == {
        first.pk: [second],
        second.pk: [first],
    }
    for consultation in (first, second, alone, far):
        assert [clash.other for clash in found.get(consultation.pk, [])] == [
            clash.other for clash in clashes_of(consultation)
        ]


def test_days_apart():
    assert days_apart((START, END), (END, END)) == 0
    assert days_apart((START, END), (END + datetime.timedelta(days=3), END + datetime.timedelta(days=4))) == 3
    assert days_apart((END + datetime.timedelta(days=3), END + datetime.timedelta(days=4)), (START, END)) == 3
