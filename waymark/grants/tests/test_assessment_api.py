"""The assessments API: an assessor's own seats; a seat opens and takes scores only after a declaration of no
conflict, and a conflicted assessor is refused both, as on the page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from waymark.grants.choices import ApplicationStatus, AssessmentStatus
from waymark.grants.factories import ApplicationFactory, AssessmentFactory
from waymark.grants.services.assessment import declare_interest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _seat(assessor, *, conflict=None):
    application = ApplicationFactory(
        status=ApplicationStatus.IN_ASSESSMENT, answers={"need": "A SECRET ANSWER", "difference": "More."}
    )
    seat = AssessmentFactory(application=application, assessor=assessor)
    if conflict is not None:
        declare_interest(seat, has_conflict=conflict, details="I chair it." if conflict else "", actor=assessor)
    return seat


def test_a_conflicted_assessor_can_neither_open_nor_score_through_the_api(api, user_factory):
    assessor = user_factory()
    seat = _seat(assessor, conflict=True)
    api.force_authenticate(assessor)
    listing = api.get(reverse("api:grant-assessment-list"))
    assert listing.status_code == 200
    assert [row["status"] for row in listing.json()["results"]] == [AssessmentStatus.CONFLICTED]
    assert "A SECRET ANSWER" not in listing.content.decode()
    detail = api.get(reverse("api:grant-assessment-detail", args=[seat.uuid]))
    assert detail.status_code == 403
    assert "A SECRET ANSWER" not in detail.content.decode()
    criterion = seat.application.programme.criteria_set.first()
    scored = api.post(
        reverse("api:grant-assessment-scores", args=[seat.uuid]),
        {"scores": [{"criterion_id": criterion.pk, "score": 5, "justification": "x"}]},
        format="json",
    )
    assert scored.status_code == 403
    assert not seat.scores.exists()


def test_an_undeclared_seat_does_not_open_through_the_api(api, user_factory):
    assessor = user_factory()
    seat = _seat(assessor)
    api.force_authenticate(assessor)
    assert api.get(reverse("api:grant-assessment-detail", args=[seat.uuid])).status_code == 403


def test_an_assessor_scores_and_submits_through_the_api(api, user_factory):
    assessor = user_factory()
    seat = _seat(assessor, conflict=False)
    api.force_authenticate(assessor)
    detail = api.get(reverse("api:grant-assessment-detail", args=[seat.uuid]))
    assert detail.status_code == 200
    assert "A SECRET ANSWER" in detail.content.decode()
    need, led = seat.application.programme.criteria_set.order_by("order")
    url = reverse("api:grant-assessment-scores", args=[seat.uuid])
    out_of_range = api.post(url, {"scores": [{"criterion_id": need.pk, "score": 7}]}, format="json")
    assert out_of_range.status_code == 400
    incomplete = api.post(
        url,
        {"scores": [{"criterion_id": need.pk, "score": 4, "justification": "Clear."}], "submit": True},
        format="json",
    )
    assert incomplete.status_code == 400
    assert "Led by the community" in str(incomplete.json()["errors"]["scores"])
    done = api.post(
        url,
        {
            "scores": [{"criterion_id": led.pk, "score": None}],
            "recommendation": "fund",
            "submit": True,
        },
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == AssessmentStatus.SUBMITTED
    assert done.json()["weighted_score"] == "4.00"


def test_only_my_own_seats_are_listed_or_opened(api, user_factory, make_persona):
    from waymark.core.roles import Role

    mine = _seat(user_factory(), conflict=False)
    theirs = _seat(user_factory(), conflict=False)
    officer = make_persona(Role.STAFF)
    api.force_authenticate(mine.assessor)
    listed = [row["uuid"] for row in api.get(reverse("api:grant-assessment-list")).json()["results"]]
    assert listed == [str(mine.uuid)]
    assert api.get(reverse("api:grant-assessment-detail", args=[theirs.uuid])).status_code == 404
    api.force_authenticate(officer)
    assert api.get(reverse("api:grant-assessment-detail", args=[theirs.uuid])).status_code == 404
    criterion = theirs.application.programme.criteria_set.first()
    refused = api.post(
        reverse("api:grant-assessment-scores", args=[theirs.uuid]),
        {"scores": [{"criterion_id": criterion.pk, "score": 0, "justification": "x"}]},
        format="json",
    )
    assert refused.status_code == 404
    assert not theirs.scores.exists()
