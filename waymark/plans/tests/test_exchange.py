"""A plan's actions out to CSV and XLSX and back in: a round trip, all or nothing, errors by row and field."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from waymark.core.factories import OrganisationFactory
from waymark.plans.action_sheets import HEADINGS, write_file
from waymark.plans.choices import ActionStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory
from waymark.plans.models import Action
from waymark.plans.services.spreadsheets import ImportRefused, import_actions


@pytest.fixture
def plan(django_user_model):
    lead = django_user_model.objects.create_user("ama", email="ama@trust.example")
    first = ActionFactory(
        code="1.1",
        title="Train every ward in culturally appropriate care",
        description='=HYPERLINK("http://evil.example")',
        lead=lead,
        rag=Rag.AMBER,
        rag_reason="Trainers still being recruited",
        progress=30,
        status=ActionStatus.IN_PROGRESS,
    )
    objective = first.objective
    objective.plan.owner.ods_code = "RV5"
    objective.plan.owner.save()
    ActionFactory(objective=objective, code="1.2", title="-2 beds on the ward", evidence="@risk register")
    ObjectiveFactory(plan=objective.plan, code="2", title="Co-production")
    return objective.plan


def _state(plan):
    return list(
        Action.objects.filter(objective__plan=plan)
        .order_by("code")
        .values_list(
            "objective__code",
            "code",
            "title",
            "description",
            "lead_organisation",
            "lead",
            "due_date",
            "status",
            "progress",
            "rag",
            "rag_reason",
            "evidence",
            "last_updated_at",
        )
    )


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _import(plan, content: bytes, kind="csv", **kwargs):
    return import_actions(actor=None, plan=plan, upload=io.BytesIO(content), kind=kind, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_importing_the_exported_file_changes_nothing(plan, kind):
    before = _state(plan)
    outcome = _import(plan, write_file(plan, kind), kind)
    assert (outcome.new, outcome.changed, outcome.unchanged) == ([], [], 2)
    assert _state(plan) == before


@pytest.mark.django_db
def test_a_formula_looking_cell_is_escaped_on_export_and_read_back_as_text(plan):
    rows = _csv_rows(write_file(plan, "csv"))
    assert rows[0] == HEADINGS
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example")'
    assert rows[2][2] == "'-2 beds on the ward" and rows[2][11] == "'@risk register"
    sheet = load_workbook(io.BytesIO(write_file(plan, "xlsx"))).worksheets[0]
    assert sheet["D2"].value == '\'=HYPERLINK("http://evil.example")'
    assert sheet["D2"].data_type == "s"  # text, never a live formula
    assert sheet["G2"].value == datetime.datetime(2026, 3, 31)  # a date cell, so a spreadsheet sorts it
    _import(plan, write_file(plan, "xlsx"), "xlsx")
    assert Action.objects.get(code="1.1").description == '=HYPERLINK("http://evil.example")'


@pytest.mark.django_db
def test_an_edited_cell_makes_that_change_and_only_that_one(plan):
    rows = _csv_rows(write_file(plan, "csv"))
    rows[1][8] = "55"
    before = {row[1]: row for row in _state(plan)}
    outcome = _import(plan, _csv_bytes(rows))
    assert [(change.code, change.changes) for change in outcome.changed] == [("1.1", [("progress", "30", "55")])]
    after = {row[1]: row for row in _state(plan)}
    assert after["1.1"][8] == 55 and after["1.1"][12] is not None  # the update restarts the late clock
    assert after["1.2"] == before["1.2"]
    assert Action.objects.get(code="1.1").history.latest().progress == 55


@pytest.mark.django_db
def test_an_edited_xlsx_cell_makes_that_change(plan):
    workbook = load_workbook(io.BytesIO(write_file(plan, "xlsx")))
    workbook.worksheets[0]["G3"] = datetime.date(2027, 1, 15)
    output = io.BytesIO()
    workbook.save(output)
    outcome = _import(plan, output.getvalue(), "xlsx")
    assert [(change.code, change.changes) for change in outcome.changed] == [
        ("1.2", [("due date", "2026-03-31", "2027-01-15")])
    ]
    assert Action.objects.get(code="1.2").due_date == datetime.date(2027, 1, 15)


@pytest.mark.django_db
def test_a_new_number_adds_an_action_under_its_objective_by_ods_code_and_lead_e_mail(plan):
    rows = _csv_rows(write_file(plan, "csv"))
    rows.append(
        [
            "2",
            "2.1",
            "Community panel reviews the data",
            "",
            "rv5",
            "AMA@trust.example",
            "31/12/2026",
            "In progress",
            "10",
            "Green",
            "Panel set up",
            "",
        ]
    )
    outcome = _import(plan, _csv_bytes(rows))
    assert [change.code for change in outcome.new] == ["2.1"]
    action = Action.objects.get(code="2.1")
    assert (action.objective.code, action.lead.username, action.lead_organisation) == ("2", "ama", plan.owner)
    assert (action.due_date, action.status, action.progress, action.rag) == (
        datetime.date(2026, 12, 31),
        ActionStatus.IN_PROGRESS,
        10,
        Rag.GREEN,
    )


@pytest.mark.django_db
def test_a_bad_row_writes_nothing_and_the_errors_name_row_and_field(plan):
    rows = _csv_rows(write_file(plan, "csv"))
    rows[1][8] = "55"  # a good change, which must not land either
    rows[2][6] = "2031-01-01"  # outside the plan's period: the service refuses it
    rows.append(["9", "9.1", "Nowhere", "", "RV5", "", "2026-05-01", "", "", "", "", ""])
    rows.append(["2", "2.2", "Bad cells", "", "Nobody Trust", "", "next week", "Soon", "120", "Purple", "", ""])
    before = _state(plan)
    with pytest.raises(ImportRefused) as refused:
        _import(plan, _csv_bytes(rows))
    messages = [str(error) for error in refused.value.errors]
    assert _state(plan) == before
    assert any(message.startswith("Row 3, due date: The due date must be within") for message in messages)
    assert "Row 4, objective number: there is no objective “9” in this plan." in messages
    for field in ("lead organisation", "due date", "status", "progress", "RAG"):
        assert any(message.startswith(f"Row 5, {field}: ") for message in messages), field
    assert [error.row for error in refused.value.errors] == sorted(error.row for error in refused.value.errors)


@pytest.mark.django_db
def test_a_red_rating_without_a_reason_is_refused_on_the_rag_reason(plan):
    rows = _csv_rows(write_file(plan, "csv"))
    rows[2][9] = "Red"
    with pytest.raises(ImportRefused) as refused:
        _import(plan, _csv_bytes(rows))
    assert [str(error) for error in refused.value.errors] == ["Row 3, RAG reason: Say why the action is rated Red."]
    assert Action.objects.get(code="1.2").rag == Rag.NOT_RATED


@pytest.mark.django_db
def test_a_preview_writes_nothing_and_shows_what_confirming_does(plan):
    rows = _csv_rows(write_file(plan, "csv"))
    rows[1][2] = "Train every ward and team"
    before = _state(plan)
    preview = _import(plan, _csv_bytes(rows), dry_run=True)
    assert _state(plan) == before
    done = _import(plan, _csv_bytes(rows))
    assert done.digest() == preview.digest()
    assert Action.objects.get(code="1.1").title == "Train every ward and team"


@pytest.mark.django_db
def test_a_duplicate_number_or_missing_column_is_refused(plan):
    rows = _csv_rows(write_file(plan, "csv"))
    rows.append(list(rows[1]))
    with pytest.raises(ImportRefused) as refused:
        _import(plan, _csv_bytes(rows))
    assert [str(error) for error in refused.value.errors] == ["Row 4, action number: 1.1 is also on row 2."]
    with pytest.raises(ImportRefused) as refused:
        _import(plan, _csv_bytes([["Title"], ["Something"]]))
    assert [str(error) for error in refused.value.errors] == [
        "Row 1, objective number: this column is missing.",
        "Row 1, action number: this column is missing.",
    ]


@pytest.mark.django_db
def test_a_file_that_is_not_utf_8_is_refused_on_the_file(plan):
    with pytest.raises(ImportRefused) as refused:
        _import(plan, "Objective number,Action number\n1,1.1 café\n".encode("cp1252"))
    assert "UTF-8" in str(next(iter(refused.value.errors)))


@pytest.mark.django_db
def test_a_shared_organisation_name_keeps_the_current_one_and_asks_for_a_code_otherwise(plan):
    OrganisationFactory(name=plan.owner.name)
    _import(plan, write_file(plan, "csv"))  # the current organisation is among those named: no problem
    workbook = Workbook()
    workbook.active.append(HEADINGS)
    workbook.active.append(["2", "2.5", "New", "", plan.owner.name, "", "2026-06-01", "", 0, "", "", ""])
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(ImportRefused) as refused:
        _import(plan, output.getvalue(), "xlsx")
    assert [str(error) for error in refused.value.errors] == [
        "Row 2, lead organisation: more than one organisation has this name: write its ODS code instead."
    ]


# --- The pages -------------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, make_persona, verified_login):
    verified_login(client, make_persona("staff"))
    return client


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_the_download_is_logged_and_the_plan_page_links_to_it(plan, staff_client):
    from waymark.core.choices import ExportKind
    from waymark.core.models import ExportLog

    page = staff_client.get(plan.get_absolute_url())
    export_url = reverse("plans:action_export", args=[plan.uuid])
    assert f"{export_url}?format=xlsx" in page.content.decode()
    response = staff_client.get(export_url, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    (logged,) = ExportLog.objects.all()
    assert (logged.kind, logged.rows, logged.description) == (ExportKind.PLAN_ACTIONS, 2, plan.title)
    assert staff_client.get(export_url, {"format": "pdf"}).status_code == 400


@pytest.mark.django_db
def test_upload_check_and_confirm_make_the_change_shown(plan, staff_client):
    rows = _csv_rows(write_file(plan, "csv"))
    rows[2][10] = "Waiting for the estates team"
    rows[2][9] = "Amber"
    url = reverse("plans:action_import", args=[plan.uuid])
    response = staff_client.post(url, {"file": _upload("actions.csv", _csv_bytes(rows))})
    preview_url = reverse("plans:action_import_preview", args=[plan.uuid])
    assert response.status_code == 302 and response["Location"] == preview_url
    preview = staff_client.get(preview_url).content.decode()
    assert "RAG: (blank) → Amber" in preview and "Waiting for the estates team" in preview
    assert Action.objects.get(code="1.2").rag == Rag.NOT_RATED  # nothing saved yet
    response = staff_client.post(reverse("plans:action_import_confirm", args=[plan.uuid]))
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    action = Action.objects.get(code="1.2")
    assert (action.rag, action.rag_reason) == (Rag.AMBER, "Waiting for the estates team")
    # confirming twice does nothing more: the checked file is gone
    response = staff_client.post(reverse("plans:action_import_confirm", args=[plan.uuid]))
    assert response["Location"] == url


@pytest.mark.django_db
def test_a_bad_file_is_refused_with_every_problem_by_row_and_field(plan, staff_client):
    rows = _csv_rows(write_file(plan, "csv"))
    rows[1][6] = "soon"
    response = staff_client.post(
        reverse("plans:action_import", args=[plan.uuid]), {"file": _upload("actions.csv", _csv_bytes(rows))}
    )
    assert response.status_code == 400
    assert "Row 2, due date: “soon” is not a date like 2026-03-31 or 31/03/2026." in response.content.decode()
    assert "plans_action_import" not in staff_client.session


@pytest.mark.django_db
def test_a_file_of_the_wrong_kind_or_too_large_is_refused_on_the_form(plan, staff_client, settings):
    url = reverse("plans:action_import", args=[plan.uuid])
    response = staff_client.post(url, {"file": _upload("actions.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "Upload a CSV file" in response.content.decode()
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "plan_actions": {**settings.UPLOAD_LIMITS["plan_actions"]}}
    settings.UPLOAD_LIMITS["plan_actions"]["max_bytes"] = 10
    response = staff_client.post(url, {"file": _upload("actions.csv", write_file(plan, "csv"))})
    assert (
        response.status_code == 400 and "the largest file you can upload here is 10 bytes" in response.content.decode()
    )


@pytest.mark.django_db
def test_a_change_to_the_plan_after_the_check_stops_the_import(plan, staff_client):
    rows = _csv_rows(write_file(plan, "csv"))
    rows[1][2] = "A new title"
    staff_client.post(
        reverse("plans:action_import", args=[plan.uuid]), {"file": _upload("actions.csv", _csv_bytes(rows))}
    )
    Action.objects.filter(code="1.2").update(title="Changed meanwhile")
    response = staff_client.post(reverse("plans:action_import_confirm", args=[plan.uuid]))
    assert response["Location"] == reverse("plans:action_import", args=[plan.uuid])
    assert Action.objects.get(code="1.1").title == "Train every ward in culturally appropriate care"
