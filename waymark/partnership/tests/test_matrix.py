"""The who-does-what matrix: partners across, the objectives of the plans the partnership delivers down the
side, the four parts on screen, on an edit page saved all at once, and as an XLSX file."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.file_headers import split_file_header
from waymark.core.roles import Role
from waymark.partnership.choices import ResponsibilityLevel
from waymark.partnership.factories import PartnershipFactory, PartnershipMemberFactory, ResponsibilityFactory
from waymark.partnership.models import Responsibility
from waymark.partnership.services.partnerships import set_responsibilities
from waymark.plans.choices import PlanStatus
from waymark.plans.factories import ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    partnership = PartnershipFactory(name="Riverside race equality partnership")
    trust, council = OrganisationFactory(name="Riverside Trust"), OrganisationFactory(name="Riverside Council")
    for organisation in (trust, council):
        PartnershipMemberFactory(partnership=partnership, organisation=organisation)
    plan = PlanFactory(title="Riverside PCREF plan")
    partnership.plans.add(plan)
    leadership = ObjectiveFactory(plan=plan, code="1", title="Leadership and governance", order=1)
    data = ObjectiveFactory(plan=plan, code="2", title="Data and insight", order=2)
    ResponsibilityFactory(partnership=partnership, organisation=trust, objective=leadership, level="lead")
    ResponsibilityFactory(partnership=partnership, organisation=council, objective=leadership, level="informed")
    return {"partnership": partnership, "trust": trust, "council": council, "leadership": leadership, "data": data}


def _signed_in(client, role=Role.STAFF):
    user = make_persona(role)
    verified_login(client, user)
    return user


def test_the_matrix_shows_each_partners_part_with_the_key(client, world):
    _signed_in(client, Role.ANALYST)
    page = client.get(reverse("partnership:partnership_matrix", args=[world["partnership"].uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Riverside PCREF plan" in text
    for heading in ("Riverside Council", "Riverside Trust", "1 Leadership and governance", "2 Data and insight"):
        assert heading in text
    row = text[text.index("1 Leadership and governance") : text.index("2 Data and insight")]
    assert row.index("Kept informed") < row.index("Leads")  # Council's column comes first, by name
    assert "Answers for the objective and leads the work on it." in text  # the key
    assert "Change who does what" not in text  # analysts read only


def test_objectives_of_a_plan_the_reader_cannot_see_are_left_out(client, world):
    draft = PlanFactory(title="Another body's draft plan", status=PlanStatus.DRAFT)
    world["partnership"].plans.add(draft)
    ObjectiveFactory(plan=draft, title="A hidden objective")
    _signed_in(client, Role.RESPONDER)
    text = client.get(reverse("partnership:partnership_matrix", args=[world["partnership"].uuid])).content.decode()
    assert "Leadership and governance" in text
    assert "A hidden objective" not in text


def test_the_matrix_reads_in_a_few_queries_however_large(client, world, django_assert_max_num_queries):
    PartnershipMemberFactory.create_batch(8, partnership=world["partnership"])
    for number in range(20):
        ObjectiveFactory(plan=world["leadership"].plan, code=f"3.{number}")
    _signed_in(client)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("partnership:partnership_matrix", args=[world["partnership"].uuid]))
    assert page.content.decode().count('scope="row"') == 22


def test_staff_change_who_does_what_on_the_edit_page(client, world):
    _signed_in(client)
    url = reverse("partnership:partnership_matrix_edit", args=[world["partnership"].uuid])
    form = client.get(url).content.decode()
    assert "Riverside Trust’s part in objective 1, Leadership and governance" in form
    data = {
        f"cell_{world['leadership'].pk}_{world['trust'].pk}": "lead",
        f"cell_{world['leadership'].pk}_{world['council'].pk}": "none",
        f"cell_{world['data'].pk}_{world['trust'].pk}": "consulted",
        f"cell_{world['data'].pk}_{world['council'].pk}": "contributes",
    }
    saved = client.post(url, data)
    assert saved.status_code == 302
    parts = {
        (cell.objective.code, cell.organisation.name): cell.level
        for cell in Responsibility.objects.select_related("objective", "organisation")
    }
    assert parts == {
        ("1", "Riverside Trust"): "lead",
        ("2", "Riverside Trust"): "consulted",
        ("2", "Riverside Council"): "contributes",
    }


def test_a_cell_left_out_or_not_on_the_list_is_refused_naming_it_and_nothing_changes(client, world):
    _signed_in(client)
    url = reverse("partnership:partnership_matrix_edit", args=[world["partnership"].uuid])
    data = {
        f"cell_{world['leadership'].pk}_{world['trust'].pk}": "boss",
        f"cell_{world['leadership'].pk}_{world['council'].pk}": "none",
        f"cell_{world['data'].pk}_{world['trust'].pk}": "consulted",
    }
    page = client.post(url, data)
    text = page.content.decode()
    assert page.status_code == 400
    assert "Choose Riverside Trust’s part in objective 1, Leadership and governance from the list" in text
    assert "Choose Riverside Council’s part in objective 2, Data and insight" in text
    assert '<option value="consulted" selected>' in text  # what was chosen stays chosen
    assert Responsibility.objects.count() == 2
    assert client.post(url, {}).status_code == 400
    assert Responsibility.objects.count() == 2


def test_the_service_refuses_an_objective_outside_the_partnerships_plans(world):
    staff = make_persona(Role.STAFF)
    elsewhere = ObjectiveFactory(title="Another plan's objective")
    with pytest.raises(ValidationError):
        set_responsibilities(
            actor=staff, partnership=world["partnership"], levels={(elsewhere.pk, world["trust"].pk): "lead"}
        )
    with pytest.raises(ValidationError):
        set_responsibilities(
            actor=staff,
            partnership=world["partnership"],
            levels={(world["data"].pk, OrganisationFactory().pk): "lead"},
        )
    assert Responsibility.objects.count() == 2


def test_an_organisation_that_left_keeps_its_column_while_it_has_parts(client, world):
    world["partnership"].members.filter(organisation=world["council"]).update(left_on=datetime.date(2025, 6, 1))
    gone = OrganisationFactory(name="Left without parts")
    PartnershipMemberFactory(partnership=world["partnership"], organisation=gone, left_on=datetime.date(2025, 6, 1))
    _signed_in(client)
    text = client.get(reverse("partnership:partnership_matrix", args=[world["partnership"].uuid])).content.decode()
    assert "Riverside Council" in text
    assert "Left without parts" not in text


def test_the_matrix_downloads_as_xlsx_with_the_same_rows(client, world):
    world["partnership"].plans.first().objectives.filter(pk=world["data"].pk).update(title="=HYPERLINK(1)")
    _signed_in(client, Role.RESPONDER)
    response = client.get(reverse("partnership:partnership_matrix_download", args=[world["partnership"].uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="who-does-what-riverside-race')
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    lines, rows = split_file_header([list(row) for row in sheet.iter_rows(values_only=True)])
    assert lines[0] == "Who does what: Riverside race equality partnership"
    assert rows[0] == ["Plan", "Objective number", "Objective", "Riverside Council", "Riverside Trust"]
    assert rows[1] == ["Riverside PCREF plan", "1", "Leadership and governance", "Kept informed", "Leads"]
    assert rows[2] == ["Riverside PCREF plan", "2", "'=HYPERLINK(1)", None, None]  # never a live formula
    notes = split_file_header(list(workbook.worksheets[1].iter_rows(values_only=True)))[1]
    notes = [row[0] for row in notes]
    assert notes[0] == "Who does what: Riverside race equality partnership"
    assert f"{ResponsibilityLevel.CONSULTED.label}: Is asked for its view before decisions are taken." in notes
