"""The public progress report (page and PDF) and the board dashboard.

The public report shows a published plan's objectives, actions, milestones and RAG with the written
definitions, and never a person: no named lead, no user name or e-mail, no board lead's name. Any other
plan is a 404, for staff too.
"""

import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.plans.board import board_dashboard
from waymark.plans.choices import RAG_DEFINITIONS, ActionStatus, PlanStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import EdsGrading, EdsOutcomeGrade, Milestone, TemplateItem

pytestmark = pytest.mark.django_db

LEAD_NAME = ("Adaeze", "Okonkwo-Private")
LEAD_EMAIL = "adaeze.private@trust.example"


@pytest.fixture(autouse=True)
def _no_cached_pdfs():
    cache.clear()


@pytest.fixture
def lead(user_factory):
    return user_factory(first_name=LEAD_NAME[0], last_name=LEAD_NAME[1], email=LEAD_EMAIL, username="adaeze.lead")


@pytest.fixture
def plan(lead):
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    plan = PlanFactory(
        title="Riverside PCREF plan 2025 to 2028",
        owner=trust,
        board_lead_name="Dr Private Boardperson",
        board_lead_role="Chief Nurse and PCREF executive lead",
        summary="How Riverside will close the gap in detentions.",
    )
    plan.partners.add(OrganisationFactory(name="Riverside Borough Council"))
    plan.co_produced_with.add(OrganisationFactory(name="সিলেটি মহিলা সমিতি"))  # a Bengali name: fonts for every script
    objective = ObjectiveFactory(
        plan=plan, code="C6", title="Co-production", source_note="Asked for at the 2025 forum."
    )
    red = ActionFactory(
        objective=objective,
        code="C6.1",
        title="Pay community reviewers",
        lead=lead,
        rag=Rag.RED,
        rag_reason="The budget line was not approved.",
        progress=10,
        status=ActionStatus.IN_PROGRESS,
    )
    ActionFactory(
        objective=objective, code="C6.2", title="Train staff with the forum", lead=lead, rag=Rag.GREEN, progress=60
    )
    Milestone.objects.create(action=red, title="Reviewers recruited", due_date=datetime.date(2026, 1, 31))
    return plan


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _no_person(text: str) -> None:
    for private in (*LEAD_NAME, LEAD_EMAIL, "adaeze.lead", "Dr Private Boardperson"):
        assert private not in text


def test_anyone_reads_a_published_plans_report_without_signing_in(client, plan):
    response = client.get(reverse("plans:public_report", args=[plan.uuid]))

    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "Riverside PCREF plan 2025 to 2028",
        "Riverside Mental Health Trust",
        "Riverside Borough Council",
        "সিলেটি মহিলা সমিতি",
        "Chief Nurse and PCREF executive lead",
        "1 April 2025 – 31 March 2028",
        "C6. Co-production",
        "Asked for at the 2025 forum.",
        "C6.1 Pay community reviewers",
        "The budget line was not approved.",
        "Reviewers recruited",
        "35% done across 2 actions",
        "takes the worst rating of its actions",
    ):
        assert shown in page, shown
    for definition in RAG_DEFINITIONS.values():
        assert str(definition).replace("'", "&#x27;") in page
    assert reverse("plans:public_report_pdf", args=[plan.uuid]) in page


def test_the_public_report_never_shows_a_person(client, plan, make_persona, verified_login):
    _no_person(client.get(reverse("plans:public_report", args=[plan.uuid])).content.decode())
    _no_person(_pdf_text(client.get(reverse("plans:public_report_pdf", args=[plan.uuid])).content))
    # Staff see the same public page as the public: the named lead stays on the staff pages.
    verified_login(client, make_persona(Role.STAFF))
    _no_person(client.get(reverse("plans:public_report", args=[plan.uuid])).content.decode())


def test_the_pdf_is_a_pdf_with_the_plan_its_actions_and_the_rag_definitions(client, plan):
    response = client.get(reverse("plans:public_report_pdf", args=[plan.uuid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="riverside-pcref-plan-2025-to-2028-progress-report.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = " ".join(_pdf_text(response.content).split())
    assert "Riverside PCREF plan 2025 to 2028" in text
    assert "Pay community reviewers" in text
    for definition in RAG_DEFINITIONS.values():
        assert str(definition) in text


@pytest.mark.parametrize(
    "status", [PlanStatus.DRAFT, PlanStatus.IN_CONSULTATION, PlanStatus.APPROVED], ids=lambda status: status.value
)
def test_a_plan_not_yet_published_has_no_public_report_even_for_staff(
    client, plan, status, make_persona, verified_login
):
    plan.status = status
    plan.save()

    for viewer in (None, make_persona(Role.STAFF), make_persona(Role.ADMIN)):
        if viewer:
            verified_login(client, viewer)
        assert client.get(reverse("plans:public_report", args=[plan.uuid])).status_code == 404
        assert client.get(reverse("plans:public_report_pdf", args=[plan.uuid])).status_code == 404
        listed = client.get(reverse("plans:public_plan_list")).content.decode()
        assert plan.title not in listed and "Pay community reviewers" not in listed


@pytest.mark.parametrize("status", [PlanStatus.PUBLISHED, PlanStatus.UNDER_REVIEW, PlanStatus.CLOSED])
def test_the_public_list_shows_published_plans_under_review_and_closed(client, plan, status):
    plan.status = status
    plan.save()
    PlanFactory(title="A draft nobody may read yet", status=PlanStatus.DRAFT)

    page = client.get(reverse("plans:public_plan_list")).content.decode()

    assert "1 published plan" in page
    assert reverse("plans:public_report", args=[plan.uuid]) in page
    assert "A draft nobody may read yet" not in page


def test_the_report_of_a_plan_of_300_actions_takes_a_handful_of_queries(client, django_assert_max_num_queries):
    plan = PlanFactory()
    for number in range(10):
        objective = ObjectiveFactory(plan=plan, code=f"O{number}")
        for action in ActionFactory.create_batch(30, objective=objective, rag=Rag.GREEN):
            Milestone.objects.create(action=action, title="Halfway", due_date=datetime.date(2026, 1, 1))

    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:public_report", args=[plan.uuid]))

    # each objective shows its first ten actions, and links to all thirty
    page = response.content.decode()
    assert page.count("Halfway") == 100
    assert page.count("See all 30 actions of objective") == 10


def test_public_pages_take_no_posts(client, plan):
    for url in (reverse("plans:public_plan_list"), reverse("plans:public_report", args=[plan.uuid])):
        assert client.post(url).status_code == 405


# --- The board dashboard -------------------------------------------------------------------------------------


def _board(client, organisation, **params):
    return client.get(reverse("plans:board"), {"organisation": organisation.uuid, **params})


@pytest.fixture
def staff_client(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.STAFF))
    return client


@pytest.fixture
def board_plan():
    """A trust's plan: objective 1 with red, amber, two greens, one not rated and a cancelled red; objective 2
    with one green. Overdue: one in progress (the complete and cancelled ones past due are not). Stale: one
    (another only late, and a finished one never)."""
    now = timezone.now()
    today = timezone.localdate()
    long_ago = now - datetime.timedelta(days=100)
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    plan = PlanFactory(owner=trust, title="Riverside PCREF plan", update_interval_days=30)
    first = ObjectiveFactory(plan=plan, code="1", title="Leadership", order=1)
    second = ObjectiveFactory(plan=plan, code="2", title="Workforce", order=2)
    later = today + datetime.timedelta(days=60)
    recent = {"last_updated_at": now - datetime.timedelta(days=1), "due_date": later}
    ActionFactory(objective=first, code="1.1", rag=Rag.RED, rag_reason="No budget.", **recent)
    ActionFactory(
        objective=first,
        code="1.2",
        rag=Rag.AMBER,
        rag_reason="Late.",
        last_updated_at=now - datetime.timedelta(days=45),
        due_date=later,
    )
    ActionFactory(
        objective=first,
        code="1.3",
        rag=Rag.GREEN,
        due_date=today - datetime.timedelta(days=10),
        status=ActionStatus.IN_PROGRESS,
        last_updated_at=now - datetime.timedelta(days=1),
    )
    ActionFactory(
        objective=first,
        code="1.4",
        rag=Rag.GREEN,
        due_date=today - datetime.timedelta(days=10),
        status=ActionStatus.COMPLETE,
        last_updated_at=long_ago,
    )
    ActionFactory(objective=first, code="1.5", title="Never touched", last_updated_at=long_ago, due_date=later)
    ActionFactory(
        objective=first,
        code="1.6",
        rag=Rag.RED,
        rag_reason="Dropped.",
        status=ActionStatus.CANCELLED,
        due_date=today - datetime.timedelta(days=5),
    )
    ActionFactory(objective=second, code="2.1", rag=Rag.GREEN, **recent)
    return plan


def test_the_board_counts_rag_per_objective_and_overdue_and_stale_actions(board_plan, make_persona):
    dashboard = board_dashboard(make_persona(Role.STAFF), board_plan.owner)

    # red, amber, green, not rated; the cancelled red counts for nothing
    assert [(row.objective.code, row.counts, row.rollup.rag) for row in dashboard.objectives] == [
        ("1", [1, 1, 2, 1], Rag.RED),
        ("2", [0, 0, 1, 0], Rag.GREEN),
    ]
    assert dashboard.rag_totals == [1, 1, 3, 1]
    assert [row.action.code for row in dashboard.overdue] == ["1.3"]
    assert dashboard.overdue[0].days_overdue == 10
    assert [row.action.code for row in dashboard.stale] == ["1.5"]
    assert dashboard.late == 1
    assert [(row.plan, row.overdue, row.stale) for row in dashboard.plans] == [(board_plan, 1, 1)]


def test_the_board_page_shows_the_counts_and_the_stale_list(staff_client, board_plan):
    page = _board(staff_client, board_plan.owner).content.decode()

    assert "1 action overdue" in page and "1 action stale" in page and "1 more action with its update late" in page
    assert "Overdue (1)" in page and "Stale (1)" in page
    assert "10 days overdue" in page
    stale = _board(staff_client, board_plan.owner, show="stale").content.decode()
    assert "1.5 Never touched" in stale


def test_a_closed_plans_actions_are_neither_overdue_nor_stale(staff_client, board_plan, make_persona):
    board_plan.status = PlanStatus.CLOSED
    board_plan.save()

    dashboard = board_dashboard(make_persona(Role.STAFF), board_plan.owner)

    assert (dashboard.overdue, dashboard.stale, dashboard.late, dashboard.objectives) == ([], [], 0, [])
    assert len(dashboard.plans) == 1


def test_eds_grades_by_outcome_across_years_with_the_overall_rating(staff_client, board_plan):
    outcomes = list(TemplateItem.objects.filter(template__code="eds2022", kind="outcome").order_by("order"))
    assert len(outcomes) == 11
    for year, grade, published in ((2024, 1, True), (2025, 2, False)):
        grading = EdsGrading.objects.create(
            organisation=board_plan.owner,
            year=year,
            graded_on=datetime.date(year + 1, 2, 1),
            publish_by=datetime.date(year + 1, 2, 28),
            published_on=datetime.date(year + 1, 2, 20) if published else None,
        )
        for outcome in outcomes:
            EdsOutcomeGrade.objects.create(grading=grading, outcome=outcome, grade=grade)

    response = _board(staff_client, board_plan.owner)
    table = response.content.decode().split('id="eds-grades"')[1].split("</table>")[0]

    assert "2024/25" in table and "2025/26" in table and "not yet published" in table
    assert outcomes[0].code in table
    assert "<strong>11</strong>" in table and "<strong>22</strong>" in table  # eleven 1s, eleven 2s
    assert "Developing activity" in table and "Achieving activity" in table


def test_a_responder_chooses_only_organisations_whose_plans_they_see(client, board_plan, make_persona, verified_login):
    responder = make_persona(Role.RESPONDER, organisation=board_plan.owner)
    other = PlanFactory(title="Another trust's draft", status=PlanStatus.DRAFT)
    verified_login(client, responder)

    first = client.get(reverse("plans:board")).content.decode()  # the one organisation, straight away
    assert "Riverside PCREF plan" in first
    assert other.owner.name not in first

    refused = _board(client, other.owner)
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert "Another trust&#x27;s draft" not in refused.content.decode()


def test_the_board_of_a_plan_of_300_actions_takes_a_handful_of_queries(
    staff_client, make_persona, django_assert_max_num_queries
):
    past = timezone.localdate() - datetime.timedelta(days=1)
    plan = PlanFactory()
    for number in range(10):
        objective = ObjectiveFactory(plan=plan, code=f"O{number}")
        ActionFactory.create_batch(
            30, objective=objective, rag=Rag.AMBER, rag_reason="Behind.", lead=make_persona(None), due_date=past
        )

    with django_assert_max_num_queries(16):
        response = _board(staff_client, plan.owner)

    assert response.status_code == 200
    assert "300 actions overdue" in response.content.decode()


# --- Indicators: published snapshots on the public report, live values on the board ------------------------


@pytest.fixture
def detentions():
    """A trust's detentions for 2024/25 against Riverside's population: Caribbean people detained at about
    seven times the White British rate."""
    from waymark.core.reference_data import ONS_2021
    from waymark.monitoring.choices import Measure
    from waymark.monitoring.factories import (
        ImportBatchFactory,
        LocalAuthorityFactory,
        PeopleCountFactory,
        PopulationBatchFactory,
        PopulationFigureFactory,
        ProviderFactory,
        ethnic_group,
    )

    area = LocalAuthorityFactory(name="Riverside")
    population = PopulationBatchFactory()
    for code, count in {"13": 100_000, "7": 10_000, "3": 20_000}.items():
        PopulationFigureFactory(batch=population, area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count)
    provider = ProviderFactory(name="Riverside Mental Health Trust")
    batch = ImportBatchFactory(provider=provider)
    for code, people in {"A": 42, "M": 31, "H": 12}.items():
        PeopleCountFactory(
            batch=batch,
            area=area,
            ethnic_group=ethnic_group(code),
            people=people,
            measure=Measure.MHA_DETENTION,
            period_start=datetime.date(2024, 4, 1),
        )
    return provider, area


def _indicator(action, provider, area):
    from waymark.monitoring import dashboards
    from waymark.monitoring.choices import Measure
    from waymark.plans.choices import Direction, Statistic
    from waymark.plans.models import Indicator

    return Indicator.objects.create(
        action=action,
        title="Detention rate ratio, Caribbean against White British",
        measure=Measure.MHA_DETENTION,
        provider=provider,
        area=area,
        grouping=dashboards.default_grouping(),
        group="Caribbean",
        reference_group="White British",
        statistic=Statistic.RATIO_TO_REFERENCE,
        target=2.0,
        direction=Direction.AT_MOST,
        baseline_year=2024,
    )


def test_the_public_report_shows_indicators_from_published_snapshots_only(client, detentions, make_persona):
    from waymark.monitoring.models import PeopleCount
    from waymark.monitoring.services import publishing
    from waymark.plans import indicator_values
    from waymark.plans.public_reports import format_interval

    provider, area = detentions
    plan = PlanFactory(owner=provider)
    indicator = _indicator(ActionFactory(objective=ObjectiveFactory(plan=plan), code="3.1"), provider, area)
    url = reverse("plans:public_report", args=[plan.uuid])
    analyst = make_persona(Role.ANALYST, provider)
    unpublished = format_interval(
        indicator_values.indicator_value(indicator, analyst).latest.value, "ratio_to_reference"
    )

    before = client.get(url).content.decode()
    assert "Detention rate ratio, Caribbean against White British" in before
    assert "No figures published yet" in before
    assert unpublished not in before

    publishing.publish_snapshot(
        actor=None,
        provider=provider,
        area=area,
        year=2024,
        title="Detentions 2024/25",
        methods_note="How they were made.",
        check_access=False,
    )
    published = indicator_values.public_indicator_value(indicator)
    shown = format_interval(published.latest.value, "ratio_to_reference")
    # A later re-import changes the live figure; the report keeps the published one.
    PeopleCount.objects.filter(provider=provider, ethnic_group__code="M").update(people=60)
    live = format_interval(indicator_values.indicator_value(indicator, analyst).latest.value, "ratio_to_reference")
    assert live != shown

    page = client.get(url).content.decode()
    assert shown in page and "Detentions 2024/25" in page
    assert "Clear of the target on the wrong side" in page
    assert live not in page
    cache.clear()
    pdf = " ".join(_pdf_text(client.get(reverse("plans:public_report_pdf", args=[plan.uuid])).content).split())
    assert shown in pdf and live not in pdf


def test_the_board_lists_indicators_off_target(client, detentions, make_persona, verified_login):
    provider, area = detentions
    plan = PlanFactory(owner=provider)
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), code="3.1", rag=Rag.GREEN)
    _indicator(action, provider, area)
    verified_login(client, make_persona(Role.STAFF))

    page = _board(client, provider).content.decode()
    table = page.split('id="indicators-off-target"')[1].split("</table>")[0]

    assert "1 of 1 indicator has its latest value" in page
    assert "Detention rate ratio, Caribbean against White British" in table
    assert "Action 3.1" in table and "Green" in table


def test_the_plan_page_links_its_public_report_once_published_and_its_owners_board(staff_client, plan):
    public = reverse("plans:public_report", args=[plan.uuid])
    board = f"{reverse('plans:board')}?organisation={plan.owner.uuid}"

    page = staff_client.get(plan.get_absolute_url()).content.decode()
    assert public in page and board in page

    plan.status = PlanStatus.DRAFT
    plan.save()
    draft = staff_client.get(plan.get_absolute_url()).content.decode()
    assert public not in draft and board in draft


# --- The trail from feedback to action ----------------------------------------------------------------------


def test_the_report_shows_the_issues_its_actions_answer_that_have_a_public_page(client, plan, lead):
    from waymark.plans.models import ActionIssueLink
    from waymark.voice.factories_escalations import IssueFactory, ResponseFactory

    action = plan.objectives.get().actions.get(code="C6.1")
    answered = ResponseFactory(published=True).escalation.issue
    answered.title = "Nobody from our community reviews the services"
    answered.save()
    private = IssueFactory(title="An issue still being looked into")
    ActionIssueLink.objects.create(action=action, issue=answered, note="Paid reviewers from the forum.", linked_by=lead)
    ActionIssueLink.objects.create(action=action, issue=private, linked_by=lead)

    page = client.get(reverse("plans:public_report", args=[plan.uuid])).content.decode()

    trail = page.split('id="you-said-we-did"')[1].split("</table>")[0]
    assert "Nobody from our community reviews the services" in trail
    assert reverse("voice:you_said_we_did_issue", args=[answered.uuid]) in trail
    assert "C6.1 Pay community reviewers" in trail and "Paid reviewers from the forum." in trail
    assert "An issue still being looked into" not in page
    _no_person(page)
