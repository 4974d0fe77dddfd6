"""A plan's actions out to CSV and XLSX and back in: a round trip, all or nothing, errors by row and field."""

import csv
import datetime
import io

import pytest
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
