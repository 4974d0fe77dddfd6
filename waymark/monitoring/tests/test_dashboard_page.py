"""The provider dashboard reads from the top: a summary in words and numbers, a contents list, then the
tables with each group named with its broad group."""

import re

from django.urls import reverse

from waymark.accounts.factories import verified_login


def _page(client, borough) -> str:
    verified_login(client, borough.analyst)
    response = client.get(reverse("monitoring:provider_dashboard", args=[borough.provider.uuid]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_summary_names_the_largest_ratios_whose_intervals_exclude_1(client, borough):
    page = _page(client, borough)

    summary = page[page.index('id="summary-heading"') : page.index('id="contents-heading"')]
    assert (
        "Mental Health Act detention: the rate for Black or Black British: Caribbean was 7.50 times the rate "
        "for White British (interval " in summary
    )
    assert "Higher" in summary
    assert "African" not in summary  # its interval includes 1


def test_a_contents_list_links_to_each_measure_and_the_rows_name_their_broad_group(client, borough):
    page = _page(client, borough)

    assert 'href="#measure-mha_detention-heading">Mental Health Act detention</a>' in page
    assert 'id="measure-mha_detention-heading"' in page
    assert 'scope="row">Black or Black British: Caribbean' in page
    assert 'scope="row">Mixed: White and Black Caribbean' in page
    assert 'scope="row">White British' in page
