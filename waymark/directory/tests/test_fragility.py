"""The fragility radar's rules, day by day at the edges of each window."""

from datetime import date, timedelta

import pytest

from waymark.core.dates import add_months
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation
from waymark.directory.choices import ServiceStatus, VolunteerReliance
from waymark.directory.factories import FundingSourceFactory, ServiceFactory
from waymark.directory.fragility import (
    Reason,
    describe_time_until,
    fragility_radar,
    radar_totals,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 14)


def _radar(window_months=6, today=TODAY):
    return fragility_radar(today=today, window_months=window_months, organisations_qs=Organisation.objects.all())


def _entry(entries, organisation):
    return next((entry for entry in entries if entry.organisation == organisation), None)


def _funded(ends_on, *, starts_on=date(2025, 1, 1), **kwargs):
    """An organisation with two other, open-ended funders, so only this end date can put it on the radar."""
    organisation = OrganisationFactory()
    FundingSourceFactory(organisation=organisation, starts_on=starts_on, ends_on=ends_on, **kwargs)
    for funder in ("Steady Trust", "Lasting Foundation"):
        FundingSourceFactory(organisation=organisation, funder=funder, starts_on=None, ends_on=None)
    return organisation


def test_add_months_keeps_the_day_or_falls_back_to_the_month_end():
    assert add_months(date(2026, 11, 14), 3) == date(2027, 2, 14)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 14), -12) == date(2025, 11, 14)


@pytest.mark.parametrize(
    ("ends_on", "window", "on_radar"),
    [
        (date(2027, 2, 14), 3, True),  # exactly three months from today counts in the 3-month window
        (date(2027, 2, 15), 3, False),  # the day after does not
        (date(2027, 2, 15), 6, True),
        (date(2027, 5, 14), 6, True),
        (date(2027, 5, 15), 6, False),
        (date(2027, 11, 14), 12, True),
        (date(2027, 11, 15), 12, False),
        (TODAY, 3, True),  # funding ending today is still in force today
    ],
)
def test_funding_ending_counts_up_to_and_including_the_last_day_of_the_window(ends_on, window, on_radar):
    organisation = _funded(ends_on)

    entry = _entry(_radar(window), organisation)

    if on_radar:
        assert entry is not None
        assert [reason.kind for reason in entry.reasons] == [Reason.FUNDING_ENDS]
    else:
        assert entry is None


def test_funding_end_tag_gives_the_date_and_how_far_off_it_is():
    organisation = _funded(date(2027, 2, 14))

    (reason,) = _entry(_radar(), organisation).reasons

    assert reason.label == "Funding ends 14 Feb 2027 (in 3 months)"
    assert describe_time_until(TODAY, date(2027, 2, 13)) == "in 2 months"
    assert describe_time_until(TODAY, TODAY + timedelta(days=5)) == "in 5 days"
    assert describe_time_until(TODAY, TODAY) == "today"


@pytest.mark.parametrize(
    ("ends_on", "listed"),
    [
        (TODAY - timedelta(days=1), True),
        (date(2026, 8, 14), True),  # exactly three months ago
        (date(2026, 8, 13), False),  # longer ago than that: no longer news
    ],
)
def test_funding_that_has_ended_is_listed_separately_for_three_months(ends_on, listed):
    organisation = _funded(ends_on)

    entry = _entry(_radar(12), organisation)

    if listed:
        (reason,) = entry.reasons
        assert reason.kind == Reason.FUNDING_ENDED
        assert reason.label.startswith("Funding ended ")
    else:
        assert entry is None


def test_open_ended_funding_never_counts_as_ending():
    organisation = OrganisationFactory()
    FundingSourceFactory(organisation=organisation, ends_on=None)
    FundingSourceFactory(organisation=organisation, funder="Second funder", ends_on=None)

    assert _entry(_radar(12), organisation) is None


def test_single_current_funder_is_a_reason_but_past_and_future_funding_are_not_current():
    single = OrganisationFactory()
    FundingSourceFactory(organisation=single, funder="City Council", starts_on=None, ends_on=date(2030, 1, 1))
    FundingSourceFactory(organisation=single, funder="Old Trust", ends_on=date(2024, 1, 1))
    FundingSourceFactory(organisation=single, funder="Future Fund", starts_on=date(2027, 6, 1), ends_on=None)
    same_funder_twice = OrganisationFactory()
    FundingSourceFactory(organisation=same_funder_twice, funder="City Council", ends_on=None)
    FundingSourceFactory(organisation=same_funder_twice, funder="city  council", ends_on=None)
    unfunded = OrganisationFactory()

    entries = _radar()

    assert [reason.kind for reason in _entry(entries, single).reasons] == [Reason.SINGLE_FUNDER]
    assert [reason.kind for reason in _entry(entries, same_funder_twice).reasons] == [Reason.SINGLE_FUNDER]
    assert _entry(entries, unfunded) is None


def test_volunteer_run_services_put_their_organisation_on_the_radar_with_its_services():
    organisation = OrganisationFactory()
    ServiceFactory(organisation=organisation, name="Saturday drop-in", volunteer_reliance=VolunteerReliance.WHOLLY)
    ServiceFactory(organisation=organisation, name="Counselling", volunteer_reliance=VolunteerReliance.NONE)
    ServiceFactory(
        organisation=organisation,
        name="Closed lunch club",
        status=ServiceStatus.DEFUNCT,
        volunteer_reliance=VolunteerReliance.WHOLLY,
    )
    paid_only = OrganisationFactory()
    ServiceFactory(organisation=paid_only, volunteer_reliance=VolunteerReliance.NONE)
    closed_volunteer_group = OrganisationFactory()
    ServiceFactory(
        organisation=closed_volunteer_group,
        status=ServiceStatus.DEFUNCT,
        volunteer_reliance=VolunteerReliance.PARTLY,
    )

    entries = _radar()
    entry = _entry(entries, organisation)

    (reason,) = entry.reasons
    assert reason.label == "Volunteer-run"
    assert reason.detail == "Saturday drop-in (Run entirely by volunteers)"
    assert [service.name for service in entry.services] == ["Counselling", "Saturday drop-in"]
    assert _entry(entries, paid_only) is None
    assert _entry(entries, closed_volunteer_group) is None


def test_service_funding_names_the_service_and_every_reason_is_listed():
    organisation = OrganisationFactory()
    service = ServiceFactory(organisation=organisation, name="Youth mentoring", volunteer_reliance="partly")
    FundingSourceFactory(service=service, funder="Youth Fund", ends_on=date(2027, 1, 31))

    entry = _entry(_radar(3), organisation)

    assert [reason.kind for reason in entry.reasons] == [
        Reason.FUNDING_ENDS,
        Reason.VOLUNTEER_RUN,
        Reason.SINGLE_FUNDER,
    ]
    assert entry.reasons[0].detail == "Youth Fund (Grant) for Youth mentoring"


def test_most_urgent_first_and_totals_count_organisations_per_reason():
    later = _funded(date(2027, 4, 1))
    sooner = _funded(date(2026, 12, 1))
    volunteers = OrganisationFactory(name="AAA volunteers")
    ServiceFactory(organisation=volunteers, volunteer_reliance=VolunteerReliance.WHOLLY)

    entries = _radar()

    assert [entry.organisation for entry in entries] == [sooner, later, volunteers]
    totals = {kind: count for kind, _label, count in radar_totals(entries, 6)}
    assert totals == {
        Reason.FUNDING_ENDS: 2,
        Reason.FUNDING_ENDED: 0,
        Reason.VOLUNTEER_RUN: 1,
        Reason.SINGLE_FUNDER: 0,
    }


def test_only_the_organisations_given_are_considered():
    shown = _funded(date(2026, 12, 1))
    hidden = _funded(date(2026, 12, 1))

    entries = fragility_radar(today=TODAY, window_months=6, organisations_qs=Organisation.objects.exclude(pk=hidden.pk))

    assert [entry.organisation for entry in entries] == [shown]


def test_an_unknown_window_is_refused():
    with pytest.raises(ValueError, match="window"):
        _radar(window_months=4)


def test_the_radar_costs_the_same_queries_for_one_row_or_five(django_assert_max_num_queries):
    def build(count):
        for _ in range(count):
            organisation = OrganisationFactory()
            service = ServiceFactory(organisation=organisation, volunteer_reliance=VolunteerReliance.PARTLY)
            FundingSourceFactory(service=service, ends_on=date(2026, 12, 1))

    build(1)
    with django_assert_max_num_queries(3):
        assert len(_radar()) == 1
    build(4)
    with django_assert_max_num_queries(3):
        assert len(_radar()) == 5
