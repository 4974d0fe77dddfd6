"""The PCREF evidence pack: one ZIP of a PDF summary and CSV and XLSX files, from live records, with every
cell escaped, nothing personal about the public, and only for those who may have it."""

import csv
import datetime
import io
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from waymark.core.choices import ExportKind
from waymark.core.factories import OrganisationFactory
from waymark.core.file_headers import split_file_header
from waymark.core.models import ExportLog
from waymark.core.roles import Role
from waymark.monitoring.factories import DataQualityFigureFactory, ImportBatchFactory
from waymark.monitoring.indicators import GroupRow, IndicatorTable, Interval
from waymark.monitoring.models import PublishedSnapshot
from waymark.plans.choices import CompetencyLevel, PlanType, Rag
from waymark.plans.evidence_pack import build_pack
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import CompetencyAssessment, TemplateItem
from waymark.plans.services.plans import change_plan
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import EscalationFactory, ResponseFactory

TODAY = timezone.localdate()
TABLES = [
    "1-governance-plan",
    "1-governance-versions",
    "1-governance-meetings",
    "2-competencies",
    "3-feedback-summary",
    "3-feedback-issues",
    "3-feedback-escalations",
    "3-you-said-we-did",
    "4-data-ethnicity-completeness",
    "4-data-disproportionality",
    "5-action-progress",
]


def _ratio_table() -> dict:
    def row(group: str, ratio: Interval, reference: bool = False) -> GroupRow:
        rate = Interval(100.0, 80.0, 120.0)
        return GroupRow(
            group=group,
            count=50,
            population=50_000,
            suppressed=False,
            rate=rate,
            ratio_to_reference=ratio,
            ratio_to_others=Interval(3.1, 2.4, 4.0),
            flag_reference="higher" if ratio.lower and ratio.lower > 1 else "",
            is_reference=reference,
        )

    return IndicatorTable(
        measure="mha_detention",
        measure_label="Detained under the Mental Health Act",
        grouping_name="ONS 2021",
        reference_group="White British",
        confidence=0.95,
        per=100_000,
        protected=True,
        rows=[row("White British", Interval(1.0, 1.0, 1.0), True), row("Black Caribbean", Interval(3.52, 2.71, 4.57))],
        total_count=100,
        total_population=100_000,
    ).to_dict()


@pytest.fixture
def pcref(db, make_persona):
    """A responder's trust with a PCREF plan and something in every part of the pack."""
    responder = make_persona(Role.RESPONDER)
    trust = responder.role_grants.get().organisation
    plan = PlanFactory(
        owner=trust,
        plan_type=PlanType.PCREF,
        title='=HYPERLINK("http://evil.example","Our PCREF plan")',
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    change_plan(actor=None, plan=plan, data={"board_lead_name": "Dr A Chair", "board_lead_role": "Chief Nurse"})
    objective = ObjectiveFactory(plan=plan, code="C6", title="Co-production")
    ActionFactory(
        objective=objective,
        code="6.1",
        title="@SUM(1+1) community panel",
        rag=Rag.AMBER,
        rag_reason="-Late start",
        progress=40,
    )
    ActionFactory(objective=objective, code="6.2", title="Paid peer roles", rag=Rag.GREEN, progress=100)
    CompetencyAssessment.objects.create(
        plan=plan,
        competency=TemplateItem.objects.get(template__code="pcref", code="C6"),
        level=CompetencyLevel.DEVELOPING,
        evidence="Panel meets monthly",
        assessed_on=datetime.date(2025, 6, 1),
    )
    # governance: a meeting that reviewed the plan, with published minutes (network's models, read by plans)
    network = apps.get_model("network", "Network").objects.create(
        name="Race equality board", slug="reb", organisation=trust
    )
    start = timezone.make_aware(datetime.datetime(2025, 7, 1, 14))
    meeting = apps.get_model("network", "Meeting").objects.create(
        network=network, title="Board review of PCREF", start=start, end=start + datetime.timedelta(hours=2)
    )
    apps.get_model("network", "Minutes").objects.create(
        meeting=meeting, text="Sensitive notes about Ms Example", status="published", published_at=start
    )
    plan.reviewed_at_meetings.add(meeting)
    # voice: feedback about the trust from a named person, an issue escalated to it and answered late
    item = FeedbackItemFactory(
        received_on=datetime.date(2025, 5, 1),
        contact_name="Ms Example Person",
        contact_email="person@example.org",
        text="My son waited nine weeks",
    )
    item.organisations.add(trust)
    response = ResponseFactory(
        escalation__responder=trust,
        escalation__issue__title="Long waits for a first appointment",
        escalation__sent_at=timezone.make_aware(datetime.datetime(2025, 5, 10, 9)),
        escalation__due_on=datetime.date(2025, 5, 20),
        published=True,
        published_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 9)),
    )
    response.escalation.issue.items.add(item)
    EscalationFactory(
        responder=trust,
        sent_at=timezone.make_aware(datetime.datetime(2025, 8, 1, 9)),
        due_on=datetime.date(2025, 8, 20),
    )
    # data: ethnicity recording and a published snapshot of the trust's figures
    batch = ImportBatchFactory(provider=trust)
    DataQualityFigureFactory(batch=batch, period_start=datetime.date(2025, 4, 1), records=100, valid_stated=97)
    PublishedSnapshot.objects.create(
        title="Detentions 2024/25",
        provider=trust,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        grouping_name="ONS 2021",
        methods_note="How they were made.",
        tables={"indicators": [_ratio_table()]},
    )
    return plan, responder


def _download(client, plan):
    response = client.get(reverse("plans:evidence_pack", args=[plan.uuid]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _csv(archive, name):
    path = next(path for path in archive.namelist() if path.endswith(f"/csv/{name}.csv"))
    return split_file_header(list(csv.reader(io.StringIO(archive.read(path).decode("utf-8-sig")))))[1]


def _xlsx(archive, name):
    path = next(path for path in archive.namelist() if path.endswith(f"/xlsx/{name}.xlsx"))
    return load_workbook(io.BytesIO(archive.read(path))).worksheets[0]


def test_the_pack_holds_a_pdf_summary_and_every_table_as_csv_and_xlsx(client, verified_login, pcref):
    plan, responder = pcref
    verified_login(client, responder)
    archive = _download(client, plan)
    names = archive.namelist()
    stems = {path.split("/", 1)[0] for path in names}
    assert len(stems) == 1  # everything in one folder, named for the trust and the day
    assert sorted(path.split("/", 1)[1] for path in names) == sorted(
        ["summary.pdf"] + [f"csv/{name}.csv" for name in TABLES] + [f"xlsx/{name}.xlsx" for name in TABLES]
    )
    log = ExportLog.objects.get()
    assert (log.kind, log.user, log.filters) == (ExportKind.PLAN_EVIDENCE_PACK, responder, {"plan": str(plan.uuid)})


def test_the_pdf_opens_and_summarises_each_part(client, verified_login, pcref):
    plan, responder = pcref
    verified_login(client, responder)
    archive = _download(client, plan)
    pdf = archive.read(next(path for path in archive.namelist() if path.endswith("summary.pdf")))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for words in ("PCREF evidence pack", "Leadership and governance", "Dr A Chair", "Board review of PCREF",
                  "Co-production", "feedback mechanism", "97", "Black Caribbean", "Action progress"):  # fmt: skip
        assert words in text, words


def test_every_cell_is_escaped_so_a_typed_formula_comes_out_as_text(client, verified_login, pcref):
    plan, responder = pcref
    verified_login(client, responder)
    archive = _download(client, plan)
    rows = _csv(archive, "1-governance-plan")
    assert rows[1] == ["Plan", "'" + plan.title]
    sheet = _xlsx(archive, "1-governance-plan")
    assert sheet["B9"].value == "'" + plan.title  # below the header block and the headings
    assert sheet["B9"].data_type == "s"
    actions = _xlsx(archive, "5-action-progress")
    titles = [row[2] for row in actions.iter_rows(min_row=9, values_only=True)]
    assert "'@SUM(1+1) community panel" in titles
    reasons = [row[8] for row in actions.iter_rows(min_row=9, values_only=True)]
    assert "'-Late start" in reasons


def test_the_parts_come_from_live_records(pcref):
    plan, _responder = pcref
    pack = build_pack(plan)
    tables = {table.name: table for table in pack.tables}
    assert ["Executive or board lead", "Dr A Chair"] in tables["1-governance-plan"].rows
    versions = tables["1-governance-versions"].rows
    assert versions[0][1] == "Created" and versions[0][6] == "Chief Nurse"  # the factory's board lead
    assert [row[6] for row in versions[1:]][:1] == ["Dr A Chair"]  # then the board lead named
    meeting = tables["1-governance-meetings"].rows[0]
    assert meeting[1:4] == ["Board review of PCREF", "Race equality board", "Published"]
    competency = next(row for row in tables["2-competencies"].rows if row[0] == "C6")
    assert competency[3:6] == ["Developing", "Latest", "Panel meets monthly"]
    summary = dict(tables["3-feedback-summary"].rows)
    assert summary["Escalations sent to the organisation"] == 2
    assert summary["Answered late"] == 1
    escalations = tables["3-feedback-escalations"].rows
    assert escalations[0][0] == "Long waits for a first appointment"
    said = tables["3-you-said-we-did"].rows
    assert said[0][1] == "Long waits for a first appointment"
    assert said[0][3] == "Interpreter requests now carry over to follow-up appointments."
    completeness = tables["4-data-ethnicity-completeness"].rows[0]
    assert completeness[1] == 97.0 and completeness[5] == "Yes"
    ratios = tables["4-data-disproportionality"].rows
    assert [(row[5], row[7], row[8], row[9]) for row in ratios] == [("Black Caribbean", 3.52, 2.71, 4.57)]
    actions = tables["5-action-progress"].rows
    assert [(row[1], row[7], row[8], row[9]) for row in actions] == [
        ("6.1", "Amber", "-Late start", 40),
        ("6.2", "Green", "", 100),
    ]


def test_the_pack_holds_no_personal_data_of_the_public(client, verified_login, pcref):
    plan, responder = pcref
    verified_login(client, responder)
    archive = _download(client, plan)
    everything = " ".join(
        archive.read(path).decode("utf-8-sig") for path in archive.namelist() if path.endswith(".csv")
    )
    for personal in ("Ms Example Person", "person@example.org", "My son waited nine weeks", "Ms Example"):
        assert personal not in everything


def test_a_responder_of_another_organisation_is_refused(client, verified_login, make_persona, pcref):
    plan, _responder = pcref
    verified_login(client, make_persona(Role.RESPONDER, organisation=OrganisationFactory()))
    assert client.get(plan.get_absolute_url()).status_code == 200  # the published plan, yes
    assert client.get(reverse("plans:evidence_pack", args=[plan.uuid])).status_code == 403
    assert not ExportLog.objects.exists()


def test_an_analyst_is_refused_and_staff_may_have_any_plans_pack(client, verified_login, make_persona, pcref):
    plan, _responder = pcref
    verified_login(client, make_persona(Role.ANALYST))
    assert client.get(reverse("plans:evidence_pack", args=[plan.uuid])).status_code == 403
    verified_login(client, make_persona(Role.STAFF))
    assert client.get(reverse("plans:evidence_pack", args=[plan.uuid])).status_code == 200


def test_only_a_pcref_plan_has_a_pack_and_its_page_links_to_it(client, verified_login, make_persona, pcref):
    plan, responder = pcref
    verified_login(client, responder)
    assert reverse("plans:evidence_pack", args=[plan.uuid]) in client.get(plan.get_absolute_url()).content.decode()
    eds = PlanFactory(owner=plan.owner, plan_type=PlanType.EDS)
    assert client.get(reverse("plans:evidence_pack", args=[eds.uuid])).status_code == 404
    assert reverse("plans:evidence_pack", args=[eds.uuid]) not in client.get(eds.get_absolute_url()).content.decode()
