"""A calendar page's clashes, found all at once, are the same as each consultation's found on its own: the same
others, communities in common, related themes and days apart, over a random crowded calendar."""

import datetime
import random

import pytest

from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.clashes import clashes_among, clashes_of
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.partnership.models import Consultation

pytestmark = pytest.mark.django_db


def _described(clashes):
    return [
        (
            clash.other.pk,
            [community.pk for community in clash.communities],
            [theme.pk for theme in clash.themes],
            clash.days_apart,
        )
        for clash in clashes
    ]


def test_the_calendar_and_the_consultation_page_agree(django_assert_max_num_queries):
    rng = random.Random(15)
    communities = [CommunityFactory() for _ in range(5)]
    parents = [ThemeFactory() for _ in range(3)]
    themes = parents + [ThemeFactory(parent=parent) for parent in parents for _ in range(2)]
    first_day = datetime.date(2030, 1, 1)
    statuses = [ConsultationStatus.PLANNED, ConsultationStatus.OPEN, ConsultationStatus.CLOSED]
    for _ in range(60):
        starts_on = first_day + datetime.timedelta(days=rng.randrange(120))
        ConsultationFactory(
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=rng.choice((0, 7, 20))),
            status=rng.choice(statuses),
            communities=rng.sample(communities, rng.choice((1, 2))),
            themes=rng.sample(themes, rng.choice((1, 2))),
        )
    page = list(Consultation.objects.prefetch_related("communities", "themes"))

    with django_assert_max_num_queries(5):
        found = clashes_among(page)

    assert sum(len(clashes) for clashes in found.values()) > 20  # a crowded calendar
    for consultation in page:
        assert _described(found.get(consultation.pk, [])) == _described(clashes_of(consultation)), consultation
    # The others are read with their lead body, which the clash markers name.
    some = next(iter(found.values()))[0]
    with django_assert_max_num_queries(0):
        assert some.other.lead_organisation.name
