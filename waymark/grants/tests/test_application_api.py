"""The staff applications API: grants officers only, filtered by programme and status, never an application the
officer declared a conflict on."""

import pytest
from django.urls import reverse

from waymark.core.roles import Role
from waymark.grants.choices import ApplicationStatus, AssessmentStatus
from waymark.grants.factories import ApplicationFactory, AssessmentFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_grants_officers_list_applications_by_programme_and_status(client, make_persona, verified_login):
    officer = make_persona(Role.STAFF)
    programme = ProgrammeFactory()
    sent = ApplicationFactory(programme=programme)
    ApplicationFactory(programme=programme, status=ApplicationStatus.DRAFT)
    ApplicationFactory()  # another programme
    conflicted = ApplicationFactory(programme=programme)
    AssessmentFactory(application=conflicted, assessor=officer, status=AssessmentStatus.CONFLICTED)
    verified_login(client, officer)
    url = reverse("api:grants-application-list")
    rows = client.get(url, {"programme": str(programme.uuid), "status": "submitted"}).json()["results"]
    assert [row["reference"] for row in rows] == [sent.reference]
    assert rows[0]["answers"] == sent.answers
    detail = client.get(reverse("api:grants-application-detail", kwargs={"uuid": conflicted.uuid}))
    assert detail.status_code == 404


def test_an_analyst_is_refused(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.ANALYST))
    assert client.get(reverse("api:grants-application-list")).status_code == 403
