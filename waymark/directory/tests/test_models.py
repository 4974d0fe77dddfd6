"""Rules the directory's models enforce whichever way a record is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from waymark.core.factories import OrganisationFactory
from waymark.directory.factories import FundingSourceFactory, ScheduleFactory, ServiceFactory
from waymark.directory.models import HolidayException

pytestmark = pytest.mark.django_db


def test_a_published_service_needs_a_way_in():
    service = ServiceFactory.build(organisation=OrganisationFactory(), phone="", published=True)
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "published" in error.value.message_dict
    for route in ({"email": "hello@example.org"}, {"url": "https://example.org/"}, {"application_process": "Drop in"}):
        candidate = ServiceFactory.build(organisation=OrganisationFactory(), phone="", published=True, **route)
        candidate.full_clean()
    ServiceFactory.build(organisation=OrganisationFactory(), phone="", published=False).full_clean()


def test_age_range_must_run_upwards():
    with pytest.raises(ValidationError) as error:
        ServiceFactory.build(organisation=OrganisationFactory(), minimum_age=30, maximum_age=18).full_clean()
    assert "maximum_age" in error.value.message_dict
    ServiceFactory.build(organisation=OrganisationFactory(), minimum_age=18, maximum_age=18).full_clean()


def test_opening_hours_close_after_they_open():
    schedule = ScheduleFactory.build(service=ServiceFactory(), opens_at=datetime.time(17), closes_at=datetime.time(9))
    with pytest.raises(ValidationError) as error:
        schedule.full_clean()
    assert "closes_at" in error.value.message_dict
    assert str(ScheduleFactory(opens_at=datetime.time(9), closes_at=datetime.time(17))) == "Monday 09:00–17:00"


def test_a_holiday_runs_forwards_and_open_days_have_hours():
    service = ServiceFactory()
    day = datetime.date(2026, 12, 25)
    backwards = HolidayException(service=service, starts_on=day, ends_on=day - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        backwards.full_clean()
    assert "ends_on" in error.value.message_dict
    open_without_hours = HolidayException(service=service, starts_on=day, ends_on=day, closed=False)
    with pytest.raises(ValidationError) as error:
        open_without_hours.full_clean()
    assert "opens_at" in error.value.message_dict


def test_funding_ends_after_it_starts_and_belongs_to_the_services_organisation():
    funding = FundingSourceFactory.build(
        organisation=OrganisationFactory(), starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2026, 3, 31)
    )
    with pytest.raises(ValidationError) as error:
        funding.full_clean()
    assert "ends_on" in error.value.message_dict
    other = FundingSourceFactory.build(organisation=OrganisationFactory(), service=ServiceFactory())
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "service" in error.value.message_dict
    tied = FundingSourceFactory(service=ServiceFactory())
    assert tied.organisation == tied.service.organisation
