"""The analyst's data-quality line in the home page's work queue: providers whose latest month of ethnic coding
is below 95% complete, counted as the data-quality list shows them, and only the analyst's own providers."""

import datetime

import pytest
from django.urls import reverse

from waymark.core.roles import Role
from waymark.monitoring import quality
from waymark.monitoring.factories import DataQualityFigureFactory, ImportBatchFactory, ProviderFactory
from waymark.monitoring.tests.pages_fixtures import Borough
from waymark.monitoring.today import data_quality_lines

pytestmark = pytest.mark.django_db


def _month(provider, month: int, records: int, valid: int, measure: str = "mha_detention") -> None:
    DataQualityFigureFactory(
        batch=ImportBatchFactory(provider=provider),
        measure=measure,
        period_start=datetime.date(2024, month, 1),
        records=records,
        valid_stated=valid,
    )


def test_providers_below_target_count_what_the_list_shows(client, make_persona, verified_login):
    below, recovered, at_target = ProviderFactory(), ProviderFactory(), ProviderFactory()
    analysts = [make_persona(Role.ANALYST, provider) for provider in (below, recovered, at_target)]
    _month(below, 5, 100, 99)
    _month(below, 6, 100, 96)
    _month(below, 6, 100, 93, measure="restraint")  # every measure together: 189 of 200, 94.5%
    _month(recovered, 5, 100, 80)
    _month(recovered, 6, 100, 97)  # only the latest month counts
    _month(at_target, 6, 100, 95)  # exactly 95% meets the target
    counts = {}
    for analyst in analysts:
        client.logout()
        verified_login(client, analyst)
        lines = [line for line in client.get("/").context["today_lines"] if "below 95%" in str(line.text)]
        counts[analyst.pk] = [line.count for line in lines]
        for line in lines:
            page = client.get(line.url)
            assert page.context["page_obj"].paginator.count == line.count
            assert b"Only the providers whose latest month is below 95% complete are shown." in page.content
            assert b"94.5%" in page.content
    assert list(counts.values()) == [[1], [], []]


def test_the_list_without_the_filter_shows_every_provider_the_analyst_may_see(client, verified_login, borough: Borough):
    _month(borough.other_provider, 6, 100, 50)
    verified_login(client, borough.analyst)

    page = client.get(reverse("monitoring:data_quality_list"))

    assert [provider.pk for provider in page.context["page_obj"].object_list] == [borough.provider.pk]


def test_another_providers_poor_month_is_not_counted_for_an_analyst_without_an_agreement(borough: Borough):
    _month(borough.other_provider, 6, 100, 50)

    assert [line.count for line in data_quality_lines(borough.analyst)] == [0]
    assert quality.below_target(quality.latest_quality(borough.other_analyst)).count() == 1
