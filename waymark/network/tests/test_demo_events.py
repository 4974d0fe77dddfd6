"""The demo's events: a launch with leader and practitioner places, six workshops, stalls, check-ins and an
evaluation survey with responses; a café coming up with a waiting list. Nobody is e-mailed."""

import random

import pytest

from waymark.core import demo as core_demo
from waymark.core.models import EmailDelivery
from waymark.network import demo, survey_results
from waymark.network.models import Event, Registration, RegistrationStatus, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    context: dict = {}
    quiet = lambda *args: None  # noqa: E731
    core_demo.seed(rng=random.Random(5), size="small", actor=None, progress=quiet, context=context)
    counts = demo.seed(rng=random.Random(5), size="small", actor=None, progress=quiet, context=context)
    return context, counts


def test_the_demo_launch_has_its_places_workshops_stalls_and_an_evaluation(seeded):
    context, counts = seeded
    launch = context["network_events"]["launch"]
    assert [(ticket.name, ticket.capacity) for ticket in launch.ticket_types.all()] == [
        ("Directors and NHS leaders", 7),
        ("Practitioners", 17),
    ]
    assert launch.workshops.count() == 6 and launch.stalls.exists()
    for ticket in launch.ticket_types.all():
        confirmed = ticket.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        assert confirmed <= ticket.capacity
    assert launch.registrations.filter(checked_in_at__isnull=False).count() == counts["event_check_ins"] > 0
    # Long past: its needs have been erased.
    assert not launch.registrations.exclude(access_needs="", dietary_needs="").exists()

    survey = launch.surveys.get()
    assert SurveyResponse.objects.filter(survey=survey).count() == counts["survey_responses"] > 0
    assert not SurveyResponse.objects.filter(invitation__isnull=False).exists()  # anonymous
    total, results = survey_results.survey_results(survey)
    assert total == counts["survey_responses"]
    assert [result.question.kind for result in results] == ["scale", "single", "multiple", "single", "text"]


def test_the_demo_cafe_is_open_with_a_waiting_list_and_no_one_was_emailed(seeded):
    context, _counts = seeded
    cafe = context["network_events"]["cafe"]
    assert cafe.accepts_registrations
    assert cafe.registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    assert (
        Registration.objects.filter(event__in=Event.objects.all()).exclude(email__endswith="@example.org").count() == 0
    )
    assert not EmailDelivery.objects.filter(template__startswith="network_event").exists()
    assert not EmailDelivery.objects.filter(template="network_survey_invitation").exists()
