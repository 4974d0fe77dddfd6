"""Staff grade an organisation on EDS 2022 and compare years; a trust's responder self-assessment page and
evidence pack: the pack downloads and its PDF opens. Every page checked with axe-core."""

import io
import zipfile

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.plans.choices import PlanType
from waymark.plans.factories import PlanFactory
from waymark.plans.factories_grading import EdsGradingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_grade_the_eleven_outcomes_and_compare_with_last_year(browse):
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    EdsGradingFactory(organisation=trust, year=2023, grade=1)
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto("/plans/eds/grade/")
    browse.check()
    page.get_by_label("Organisation graded").select_option(label="Riverside Mental Health Trust")
    page.get_by_label("Year graded").fill("2024")
    fill_date(page, "Date graded", "2025-01-15")
    fill_date(page, "To be published by", "2025-02-28")
    for code in ("1A", "1B", "1C", "1D", "2A", "2B", "2C", "2D", "3A", "3B"):
        page.locator(f"input[name='grade_{code}'][value='2']").check()
    page.locator("#id_grader_organisation_1").select_option(label="Riverside Mental Health Trust")
    page.locator("#id_grader_role_1").select_option("staff")
    page.get_by_role("button", name="Save the grading").click()
    browse.check()  # refused: 3C was not graded, and what was typed is still there
    expect(page.get_by_role("link", name="Grade outcome 3C", exact=False)).to_be_visible()
    expect(page.locator("input[name='grade_1A'][value='2']")).to_be_checked()

    page.locator("input[name='grade_3C'][value='3']").check()
    page.get_by_role("button", name="Save the grading").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Mental Health Trust")
    expect(page.get_by_text("Achieving activity (23 of 33)")).to_be_visible()

    page.get_by_role("link", name="Compare Riverside Mental Health Trust's gradings year on year").click()
    browse.check()
    expect(page.get_by_role("row", name="1A", exact=False)).to_contain_text("Up from 1")


def test_a_responder_reads_the_self_assessment_and_downloads_the_evidence_pack(browse):
    responder = with_authenticator(make_persona(Role.RESPONDER))
    plan = PlanFactory(
        title="Riverside PCREF plan", owner=responder.role_grants.get().organisation, plan_type=PlanType.PCREF
    )
    page = browse.page
    sign_in(browse, responder)

    browse.goto(plan.get_absolute_url())
    browse.check()
    page.get_by_role("link", name="Self-assessment against the six PCREF competencies").click()
    browse.check()
    expect(page.get_by_role("rowheader", name="C6 Co-production", exact=False)).to_be_visible()
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PCREF evidence pack", exact=False).click()
    download = download_info.value
    assert download.suggested_filename.startswith("pcref-evidence-pack-")
    with open(download.path(), "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    pdf_path = next(name for name in archive.namelist() if name.endswith("summary.pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(pdf_path))).pages)
    assert "PCREF evidence pack" in text and "Riverside PCREF plan" in text
    assert any(name.endswith("xlsx/5-action-progress.xlsx") for name in archive.namelist())
