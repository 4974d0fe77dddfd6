"""EDS 2022 gradings and a PCREF plan's competency self-assessment: the services' refusals on their fields,
totals and bands, year on year, and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.plans import gradings
from waymark.plans.choices import CompetencyLevel, EdsGrade, GraderRole, PlanType, eds_overall_rating
from waymark.plans.factories import PlanFactory
from waymark.plans.factories_grading import EdsGradingFactory, all_grades
from waymark.plans.models import CompetencyAssessment, EdsGrading, TemplateItem
from waymark.plans.services.grading import (
    assess_competency,
    change_eds_grading,
    publish_eds_grading,
    record_eds_grading,
)

TODAY = timezone.localdate()


def _record(organisation=None, year=2024, grades=None, graders=None, **data):
    organisation = organisation or OrganisationFactory()
    return record_eds_grading(
        actor=None,
        organisation=organisation,
        year=year,
        data={"graded_on": datetime.date(2025, 1, 15), "publish_by": datetime.date(2025, 2, 28), **data},
        grades=all_grades(1) if grades is None else grades,
        graders=[(organisation, GraderRole.STAFF)] if graders is None else graders,
    )


def _refused(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


# --- The services ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_grading_keeps_eleven_grades_its_graders_and_dates():
    organisation, peer = OrganisationFactory(), OrganisationFactory()
    grading = _record(
        organisation,
        grades={**all_grades(2), "1A": (3, "Interpreters on every ward")},
        graders=[(organisation, GraderRole.STAFF), (peer, GraderRole.PEER), (peer, GraderRole.PEER)],
        evidence="Graded with the community panel",
    )
    assert grading.grades.count() == 11
    assert grading.grades.get(outcome__code="1A").evidence == "Interpreters on every ward"
    assert set(grading.graders.values_list("organisation", "role")) == {
        (organisation.pk, GraderRole.STAFF),
        (peer.pk, GraderRole.PEER),
    }
    assert gradings.grading_overall(grading).total == 23


@pytest.mark.django_db
def test_a_missing_outcome_is_refused_on_its_own_field_and_nothing_is_saved():
    grades = all_grades(1)
    del grades["2B"], grades["3C"]
    errors = _refused(lambda: _record(grades=grades))
    assert set(errors) == {"grade_2B", "grade_3C"}
    assert "2B" in errors["grade_2B"][0]
    assert not EdsGrading.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("grade", [4, -1, "excellent"])
def test_a_grade_outside_0_to_3_is_refused_on_its_field(grade):
    errors = _refused(lambda: _record(grades={**all_grades(1), "1C": (grade, "")}))
    assert list(errors) == ["grade_1C"]


@pytest.mark.django_db
def test_a_second_grading_for_the_same_organisation_and_year_is_refused_on_the_year():
    organisation = OrganisationFactory()
    _record(organisation, year=2024)
    errors = _refused(lambda: _record(organisation, year=2024))
    assert list(errors) == ["year"]
    assert _record(organisation, year=2023).year == 2023


@pytest.mark.django_db
def test_a_year_before_eds_2022_is_refused_on_the_year():
    assert list(_refused(lambda: _record(year=2019))) == ["year"]


@pytest.mark.django_db
def test_the_date_to_publish_by_is_required_and_not_before_the_grading():
    assert list(_refused(lambda: _record(publish_by=None))) == ["publish_by"]
    errors = _refused(lambda: _record(graded_on=datetime.date(2025, 3, 1), publish_by=datetime.date(2025, 2, 1)))
    assert list(errors) == ["publish_by"]


@pytest.mark.django_db
def test_a_grading_in_the_future_is_refused_on_the_date_graded():
    later = TODAY + datetime.timedelta(days=3)
    errors = _refused(lambda: _record(graded_on=later, publish_by=later + datetime.timedelta(days=30)))
    assert list(errors) == ["graded_on"]


@pytest.mark.django_db
def test_a_grading_needs_someone_who_graded():
    assert list(_refused(lambda: _record(graders=[]))) == ["graders"]


@pytest.mark.django_db
def test_a_grading_can_belong_only_to_a_plan_of_the_same_organisation():
    other_plan = PlanFactory(plan_type=PlanType.EDS)
    assert list(_refused(lambda: _record(plan=other_plan))) == ["plan"]


@pytest.mark.parametrize(
    ("total", "rating"),
    [
        (0, EdsGrade.UNDEVELOPED),
        (7, EdsGrade.UNDEVELOPED),
        (8, EdsGrade.DEVELOPING),
        (21, EdsGrade.DEVELOPING),
        (22, EdsGrade.ACHIEVING),
        (32, EdsGrade.ACHIEVING),
        (33, EdsGrade.EXCELLING),
    ],
)
def test_the_overall_rating_bands(total, rating):
    assert eds_overall_rating(total) == rating
    assert gradings.overall([total]).rating == rating


@pytest.mark.django_db
def test_the_overall_rating_is_the_sum_of_the_eleven_grades():
    grades = {**all_grades(2), "1A": (0, ""), "2D": (3, ""), "3C": (1, "")}
    result = gradings.grading_overall(_record(grades=grades))
    assert (result.total, result.graded, result.rating) == (2 * 8 + 0 + 3 + 1, 11, EdsGrade.DEVELOPING)


@pytest.mark.django_db
def test_changing_a_grading_keeps_what_it_said_before():
    grading = _record()
    change_eds_grading(
        actor=None, grading=grading, data={}, grades={**all_grades(1), "1A": (2, "New evidence")}, graders=None
    )
    row = grading.grades.get(outcome__code="1A")
    assert (row.grade, row.evidence) == (2, "New evidence")
    assert list(row.history.order_by("history_date").values_list("grade", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_changing_a_grading_to_a_year_it_already_has_is_refused_on_the_year():
    organisation = OrganisationFactory()
    _record(organisation, year=2023)
    grading = _record(organisation, year=2024)
    assert list(_refused(lambda: change_eds_grading(actor=None, grading=grading, data={}, year=2023))) == ["year"]


@pytest.mark.django_db
def test_publishing_sets_the_date_once():
    grading = _record()
    publish_eds_grading(actor=None, grading=grading)
    grading.refresh_from_db()
    assert grading.published_on == TODAY
    assert list(_refused(lambda: publish_eds_grading(actor=None, grading=grading))) == ["published_on"]


@pytest.mark.django_db
def test_a_grading_is_late_once_its_date_to_publish_by_has_passed_unpublished():
    grading = EdsGradingFactory(publish_by=TODAY - datetime.timedelta(days=1))
    assert gradings.publication_late(grading)
    assert not gradings.publication_late(grading, today=grading.publish_by)
    grading.published_on = TODAY
    assert not gradings.publication_late(grading)


# --- Year on year ---------------------------------------------------------------------------------------


@pytest.fixture
def two_years(db):
    organisation = OrganisationFactory(name="Riverside Trust")
    EdsGradingFactory(organisation=organisation, year=2023)
    later = EdsGradingFactory(organisation=organisation, year=2024)
    later.grades.filter(outcome__code="1A").update(grade=2)
    later.grades.filter(outcome__code="1B").update(grade=0)
    return organisation


def test_year_on_year_says_how_each_grade_and_the_total_moved(two_years):
    comparison = gradings.eds_comparison(EdsGrading.objects.filter(organisation=two_years))
    assert comparison.years == [2023, 2024]
    assert comparison.year_labels == ["2023/24", "2024/25"]
    changes = {row.outcome.code: [cell.change for cell in row.cells] for row in comparison.rows}
    assert changes["1A"] == ["", "Up from 1"]
    assert changes["1B"] == ["", "Down from 1"]
    assert changes["1C"] == ["", "No change"]
    assert [(result.total, result.rating) for result in comparison.overalls] == [
        (11, EdsGrade.DEVELOPING),
        (11, EdsGrade.DEVELOPING),
    ]
    assert comparison.overall_changes == ["", "No change"]
    assert comparison.domains[0][0].startswith("Domain 1")


def test_grades_by_outcome_across_years_for_the_board(two_years):
    table = gradings.eds_grades_by_outcome(EdsGrading.objects.all())
    assert table[two_years.pk]["1A"] == {2023: 1, 2024: 2}
    assert table[two_years.pk]["1B"] == {2023: 1, 2024: 0}
    overall = gradings.eds_overall_by_year(EdsGrading.objects.all())
    assert overall[two_years.pk][2024].total == 11


# --- Competency self-assessment ------------------------------------------------------------------------


def _competency(code="C6"):
    return TemplateItem.objects.get(template__code="pcref", code=code)


@pytest.mark.django_db
def test_a_later_self_assessment_keeps_the_earlier_one_and_the_same_day_corrects_it():
    plan = PlanFactory(plan_type=PlanType.PCREF)
    first = assess_competency(
        actor=None,
        plan=plan,
        competency=_competency(),
        level=CompetencyLevel.DEVELOPING,
        evidence="Community panel meets monthly",
        assessed_on=datetime.date(2025, 6, 1),
    )
    assess_competency(
        actor=None,
        plan=plan,
        competency=_competency(),
        level=CompetencyLevel.ESTABLISHED,
        evidence="Panel co-chairs the board sub-committee",
        assessed_on=datetime.date(2025, 12, 1),
    )
    assess_competency(
        actor=None,
        plan=plan,
        competency=_competency(),
        level=CompetencyLevel.EMBEDDED,
        evidence="Corrected the same day",
        assessed_on=datetime.date(2025, 12, 1),
    )
    assert CompetencyAssessment.objects.filter(plan=plan).count() == 2
    history = {row.competency.code: row for row in gradings.competency_self_assessment(plan)}
    assert history["C6"].latest.level == CompetencyLevel.EMBEDDED
    assert [row.pk for row in history["C6"].earlier] == [first.pk]
    assert history["C1"].latest is None and len(history) == 6


@pytest.mark.django_db
def test_only_a_pcref_plan_is_self_assessed():
    plan = PlanFactory(plan_type=PlanType.EDS)
    errors = _refused(
        lambda: assess_competency(
            actor=None, plan=plan, competency=_competency(), level="developing", evidence="x", assessed_on=TODAY
        )
    )
    assert list(errors) == ["plan"]


@pytest.mark.django_db
def test_an_eds_outcome_is_not_a_competency():
    outcome = TemplateItem.objects.get(template__code="eds2022", code="1A")
    errors = _refused(
        lambda: assess_competency(
            actor=None, plan=PlanFactory(), competency=outcome, level="developing", evidence="x", assessed_on=TODAY
        )
    )
    assert list(errors) == ["competency"]


@pytest.mark.django_db
def test_a_self_assessment_needs_its_level_evidence_and_a_date_not_in_the_future():
    plan = PlanFactory()
    errors = _refused(
        lambda: assess_competency(
            actor=None, plan=plan, competency=_competency(), level="splendid", evidence="", assessed_on=None
        )
    )
    assert set(errors) == {"level", "assessed_on"}
    errors = _refused(
        lambda: assess_competency(
            actor=None,
            plan=plan,
            competency=_competency(),
            level=CompetencyLevel.ESTABLISHED,
            evidence="  ",
            assessed_on=TODAY + datetime.timedelta(days=1),
        )
    )
    assert set(errors) == {"evidence", "assessed_on"}
    started = assess_competency(
        actor=None,
        plan=plan,
        competency=_competency(),
        level=CompetencyLevel.NOT_STARTED,
        evidence="",
        assessed_on=TODAY,
    )
    assert started.pk


# --- Pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.STAFF))
    return client


def _form_data(organisation, **overrides):
    data = {
        "organisation": str(organisation.uuid),
        "year": "2024",
        "graded_on": "2025-01-15",
        "publish_by": "2025-02-28",
        "evidence": "",
        "grader_organisation_1": str(organisation.uuid),
        "grader_role_1": GraderRole.STAFF,
    }
    for outcome in gradings.eds_outcomes():
        data[f"grade_{outcome.code}"] = "2"
        data[f"evidence_{outcome.code}"] = ""
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_grade_page_shows_outcomes_by_domain_with_the_eds_labels(staff_client):
    response = staff_client.get(reverse("plans:eds_grading_create"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Domain 2: Workforce health and well-being" in content
    assert content.count('name="grade_') == 11 * 4
    assert "3 Excelling activity" in content and "0 Undeveloped activity" in content
    assert 'name="grader_organisation_6"' in content


@pytest.mark.django_db
def test_a_missing_grade_on_the_page_is_shown_on_its_outcome_and_nothing_typed_is_lost(staff_client):
    organisation = OrganisationFactory()
    data = _form_data(organisation, grade_2B="", evidence_1A="Ward audits =SUM(A1)")
    response = staff_client.post(reverse("plans:eds_grading_create"), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_grade_2B_0"' in content or 'href="#id_grade_2B"' in content
    assert "Grade outcome 2B" in content
    assert "Ward audits =SUM(A1)" in content
    assert not EdsGrading.objects.exists()


@pytest.mark.django_db
def test_a_grader_without_a_role_is_refused_on_the_role(staff_client):
    organisation = OrganisationFactory()
    data = _form_data(organisation, grader_organisation_2=str(organisation.uuid))
    response = staff_client.post(reverse("plans:eds_grading_create"), data)
    assert response.status_code == 400
    assert "grader_role_2" in response.context["form"].errors


@pytest.mark.django_db
def test_grading_through_the_page_then_publishing_it(staff_client):
    organisation = OrganisationFactory()
    response = staff_client.post(reverse("plans:eds_grading_create"), _form_data(organisation))
    grading = EdsGrading.objects.get()
    assert response.status_code == 302 and response["Location"] == grading.get_absolute_url()
    detail = staff_client.get(grading.get_absolute_url()).content.decode()
    assert "Achieving activity (22 of 33)" in detail
    assert "Late" in detail  # the date to publish by, 28 February 2025, has passed
    response = staff_client.post(reverse("plans:eds_grading_publish", args=[grading.uuid]))
    grading.refresh_from_db()
    assert response.status_code == 302 and grading.published_on == TODAY
    assert "Late" not in staff_client.get(grading.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_change_page_starts_from_the_saved_grading(staff_client):
    grading = EdsGradingFactory(grade=3)
    response = staff_client.get(reverse("plans:eds_grading_edit", args=[grading.uuid]))
    assert response.status_code == 200
    assert response.context["running"].total == 33
    data = _form_data(grading.organisation, grade_1A="0")
    del data["organisation"]
    response = staff_client.post(reverse("plans:eds_grading_edit", args=[grading.uuid]), data)
    assert response.status_code == 302
    assert gradings.grading_overall(grading).total == 20


@pytest.mark.django_db
def test_the_list_filters_by_organisation_and_year_without_a_query_per_grading(staff_client):
    organisation = OrganisationFactory()
    EdsGradingFactory(organisation=organisation, year=2023)
    EdsGradingFactory(organisation=organisation, year=2024)
    EdsGradingFactory(year=2024)
    response = staff_client.get(reverse("plans:eds_grading_list"), {"organisation": organisation.uuid})
    assert len(response.context["gradings"]) == 2
    response = staff_client.get(reverse("plans:eds_grading_list"), {"year": 2024})
    assert len(response.context["gradings"]) == 2
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("plans:eds_grading_list"))
    for _ in range(4):
        EdsGradingFactory(year=2022)
    with CaptureQueriesContext(connection) as more:
        response = staff_client.get(reverse("plans:eds_grading_list"))
    assert len(response.context["gradings"]) == 7
    assert len(more) == len(few)
    assert "11 of 33: Developing activity" in response.content.decode()


@pytest.mark.django_db
def test_the_comparison_page_says_how_grades_moved(staff_client, two_years):
    response = staff_client.get(reverse("plans:eds_comparison", args=[two_years.uuid]))
    content = response.content.decode()
    assert "2023/24" in content and "2024/25" in content
    assert "Up from 1" in content and "Down from 1" in content
    assert "Developing activity (11 of 33)" in content


@pytest.mark.django_db
def test_a_responder_sees_their_own_draft_grading_but_not_another_organisations(client, make_persona, verified_login):
    responder = make_persona(Role.RESPONDER)
    own = EdsGradingFactory(organisation=responder.role_grants.get().organisation)
    other = EdsGradingFactory()
    verified_login(client, responder)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("plans:eds_grading_edit", args=[own.uuid])).status_code == 403


@pytest.mark.django_db
def test_the_self_assessment_page_records_and_shows_latest_and_earlier(staff_client):
    plan = PlanFactory(plan_type=PlanType.PCREF)
    CompetencyAssessment.objects.create(
        plan=plan, competency=_competency("C2"), level=CompetencyLevel.DEVELOPING, assessed_on=datetime.date(2025, 5, 1)
    )
    url = reverse("plans:competency_assessment", args=[plan.uuid])
    response = staff_client.post(
        url,
        {
            "competency": _competency("C2").pk,
            "level": CompetencyLevel.ESTABLISHED,
            "evidence": "All staff trained in 2025",
            "assessed_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    content = staff_client.get(url).content.decode()
    assert "All staff trained in 2025" in content
    assert "1 earlier assessment of Staff knowledge and awareness" in content
    response = staff_client.post(url, {"competency": _competency("C2").pk, "level": CompetencyLevel.EMBEDDED})
    assert response.status_code == 400
    assert "evidence" in response.context["form"].errors or "assessed_on" in response.context["form"].errors


@pytest.mark.django_db
def test_a_responder_reads_the_self_assessment_but_cannot_record_one(client, make_persona, verified_login):
    responder = make_persona(Role.RESPONDER)
    plan = PlanFactory(owner=responder.role_grants.get().organisation)
    verified_login(client, responder)
    url = reverse("plans:competency_assessment", args=[plan.uuid])
    response = client.get(url)
    assert response.status_code == 200 and "Record an assessment" not in response.content.decode()
    assert client.post(url, {"competency": _competency().pk, "level": "not_started"}).status_code == 403
    assert not CompetencyAssessment.objects.exists()


@pytest.mark.django_db
def test_an_eds_plan_has_no_self_assessment_page(staff_client):
    plan = PlanFactory(plan_type=PlanType.EDS)
    assert staff_client.get(reverse("plans:competency_assessment", args=[plan.uuid])).status_code == 404


@pytest.mark.django_db
def test_the_plan_page_links_a_pcref_plan_to_its_self_assessment(staff_client):
    plan = PlanFactory(plan_type=PlanType.PCREF)
    content = staff_client.get(plan.get_absolute_url()).content.decode()
    assert reverse("plans:competency_assessment", args=[plan.uuid]) in content
