"""The public finds a published plan, reads its progress report and downloads it as a PDF; a board member reads
their trust's dashboard. Every page checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import UserFactory, make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.plans.choices import ActionStatus, PlanStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)


def _plan() -> None:
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    plan = PlanFactory(
        title="Riverside PCREF plan",
        owner=trust,
        board_lead_name="Dr Private Boardperson",
        board_lead_role="Chief Nurse",
    )
    plan.co_produced_with.add(OrganisationFactory(name="Bangladeshi Women's Association বাংলাদেশি মহিলা সমিতি"))
    lead = UserFactory(first_name="Adaeze", last_name="Private")
    objective = ObjectiveFactory(plan=plan, code="C6", title="Co-production")
    action = ActionFactory(
        objective=objective,
        code="C6.1",
        title="Pay community reviewers",
        lead=lead,
        rag=Rag.AMBER,
        rag_reason="Recruitment is slower than planned.",
        status=ActionStatus.IN_PROGRESS,
        progress=40,
    )
    Milestone.objects.create(action=action, title="Reviewers recruited", due_date=datetime.date(2026, 1, 31))
    PlanFactory(title="A draft plan", owner=trust, status=PlanStatus.DRAFT)


def test_the_public_reads_a_progress_report_and_downloads_its_pdf(browse):
    _plan()
    page = browse.page

    browse.goto("/")
    page.get_by_role("link", name="Published action plans").first.click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Published action plans")
    expect(page.get_by_role("link", name="A draft plan")).to_have_count(0)

    page.get_by_role("link", name="Riverside PCREF plan").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside PCREF plan")
    expect(page.get_by_role("heading", name="C6. Co-production")).to_be_visible()
    expect(page.get_by_role("cell", name="Recruitment is slower than planned.")).to_be_visible()
    expect(page.get_by_role("cell", name="Reviewers recruited")).to_be_visible()
    assert "Adaeze" not in page.content() and "Dr Private Boardperson" not in page.content()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this report as a PDF").click()
    download = download_info.value
    assert download.suggested_filename == "riverside-pcref-plan-progress-report.pdf"
    pdf = PdfReader(download.path())
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Riverside PCREF plan" in text and "Recruitment is slower than planned." in text


def test_a_board_member_reads_the_dashboard_of_their_trust(browse):
    _plan()
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto("/plans/board/")
    page.get_by_label("Organisation").select_option(label="Riverside Mental Health Trust")
    page.get_by_role("button", name="Show dashboard").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside Mental Health Trust")
    objectives = page.get_by_role("table", name="Actions of each objective by RAG rating (closed plans left out)")
    expect(objectives.get_by_role("row", name="C6. Co-production")).to_contain_text("1")
    expect(page.get_by_role("link", name="C6.1 Pay community reviewers")).to_be_visible()  # overdue
    page.get_by_role("link", name="Stale (0)").click()
    browse.check()
    expect(page.get_by_text("No action is stale.")).to_be_visible()
