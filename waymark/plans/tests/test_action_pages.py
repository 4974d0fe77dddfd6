"""The action pages as their users meet them: staff add and edit actions with partners, the named lead updates
status, RAG and evidence and keeps milestones, every refusal shown on its field with what was typed kept,
evidence files served only through the app, and "My actions" late and stale first."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.plans.choices import ActionStatus, PartnerRole, PlanStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import Action, ActionEvidence, Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return OrganisationFactory(name="Riverside Mental Health Trust")


@pytest.fixture
def lead(trust):
    return make_persona(Role.RESPONDER, organisation=trust, full_name="Rosa Responder")


@pytest.fixture
def staff():
    return make_persona(Role.STAFF, full_name="Sam Staff")


@pytest.fixture
def action(trust, lead):
    plan = PlanFactory(owner=trust, title="Riverside PCREF plan")
    return ActionFactory(objective=ObjectiveFactory(plan=plan, code="2"), code="2.1", title="Train staff", lead=lead)


def _signed_in(client, user):
    verified_login(client, user)
    return client


def _errors_on(response, field):
    return response.context["form"].errors.get(field, [])


# --- Add and edit an action --------------------------------------------------------------------------------


def _action_post(organisation, person, **overrides):
    data = {
        "code": "2.2",
        "title": "Recruit peer supporters from Black African and Caribbean communities",
        "description": "With the community forum.",
        "lead_organisation": organisation.pk,
        "lead": person.pk,
        "due_date": "2026-09-30",
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "0",
        "partners-0-organisation": "",
        "partners-0-role": PartnerRole.PARTNER,
        "partners-1-organisation": "",
        "partners-1-role": PartnerRole.PARTNER,
        "partners-2-organisation": "",
        "partners-2-role": PartnerRole.PARTNER,
    }
    data.update(overrides)
    return data


def test_staff_add_an_action_with_a_named_lead_and_partners(client, staff, action, lead, trust):
    forum = OrganisationFactory(name="African Caribbean Forum")
    council = OrganisationFactory(name="Borough Council")
    url = reverse("plans:action_create", args=[action.objective.uuid])
    page = _signed_in(client, staff).get(url)
    assert page.status_code == 200
    assert "Rosa Responder" in page.content.decode()  # a responder holds a working role: they can lead

    response = client.post(
        url,
        _action_post(
            trust,
            lead,
            **{
                "partners-0-organisation": forum.pk,
                "partners-0-role": PartnerRole.LEAD,
                "partners-1-organisation": council.pk,
                "partners-1-role": PartnerRole.CONSULTED,
            },
        ),
    )
    added = Action.objects.get(code="2.2")
    assert response.status_code == 302 and response["Location"] == added.get_absolute_url()
    assert added.lead == lead and added.lead_organisation == trust
    assert {(p.organisation.name, p.role) for p in added.partners.all()} == {
        ("African Caribbean Forum", PartnerRole.LEAD),
        ("Borough Council", PartnerRole.CONSULTED),
    }
    detail = client.get(added.get_absolute_url()).content.decode()
    assert "African Caribbean Forum (Lead)" in detail
    assert "Borough Council (Consulted)" in detail


def test_a_due_date_outside_the_plan_is_refused_on_its_field_keeping_what_was_typed(client, staff, action, lead, trust):
    forum = OrganisationFactory(name="African Caribbean Forum")
    url = reverse("plans:action_create", args=[action.objective.uuid])
    response = _signed_in(client, staff).post(
        url, _action_post(trust, lead, due_date="2030-01-01", **{"partners-0-organisation": forum.pk})
    )
    assert response.status_code == 400
    assert "within the plan's period" in " ".join(_errors_on(response, "due_date"))
    page = response.content.decode()
    assert 'value="Recruit peer supporters from Black African and Caribbean communities"' in page
    assert f'<option value="{forum.pk}" selected>' in page  # the partner row as it was chosen
    for part, value in (("day", "1"), ("month", "1"), ("year", "2030")):
        assert f'name="due_date_{part}" value="{value}"' in page
    assert not Action.objects.filter(code="2.2").exists()


def test_a_number_already_used_in_the_plan_is_refused_on_its_field(client, staff, action, lead, trust):
    response = _signed_in(client, staff).post(
        reverse("plans:action_create", args=[action.objective.uuid]), _action_post(trust, lead, code="2.1")
    )
    assert response.status_code == 400
    assert "already has the number 2.1" in " ".join(_errors_on(response, "code"))


def test_an_action_needs_a_title_and_a_lead_organisation(client, staff, action, lead, trust):
    response = _signed_in(client, staff).post(
        reverse("plans:action_create", args=[action.objective.uuid]),
        _action_post(trust, lead, title="", lead_organisation=""),
    )
    assert response.status_code == 400
    assert _errors_on(response, "title") == ["Say what will be done"]
    assert _errors_on(response, "lead_organisation") == ["Select the lead organisation"]


def test_an_organisation_listed_twice_as_partner_is_refused_on_its_row(client, staff, action, lead, trust):
    forum = OrganisationFactory(name="African Caribbean Forum")
    response = _signed_in(client, staff).post(
        reverse("plans:action_create", args=[action.objective.uuid]),
        _action_post(trust, lead, **{"partners-0-organisation": forum.pk, "partners-2-organisation": forum.pk}),
    )
    assert response.status_code == 400
    assert response.context["formset"].forms[2].errors["organisation"] == ["African Caribbean Forum is listed twice."]
    assert "Partner 3: African Caribbean Forum is listed twice." in response.content.decode()


def test_someone_without_a_working_role_cannot_be_named_lead(client, staff, action, trust):
    member = make_persona(Role.MEMBER, full_name="Mo Member")
    response = _signed_in(client, staff).post(
        reverse("plans:action_create", args=[action.objective.uuid]), _action_post(trust, member)
    )
    assert response.status_code == 400
    assert _errors_on(response, "lead") == ["Select the named lead from the list"]


def test_staff_edit_an_action_and_its_partners(client, staff, action, lead, trust):
    forum = OrganisationFactory(name="African Caribbean Forum")
    action.partners.create(organisation=forum, role=PartnerRole.PARTNER)
    url = reverse("plans:action_edit", args=[action.uuid])
    page = _signed_in(client, staff).get(url).content.decode()
    assert f'<option value="{forum.pk}" selected>' in page
    data = _action_post(trust, lead, code="2.1", title="Train every ward's staff", due_date="2026-12-31")
    data.update({"partners-INITIAL_FORMS": "1", "partners-TOTAL_FORMS": "4", "partners-3-role": "partner"})
    data["partners-0-organisation"] = ""  # taken off
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Train every ward's staff"
    assert action.due_date == datetime.date(2026, 12, 31)
    assert not action.partners.exists()


def test_only_staff_and_administrators_add_or_edit_actions(client, action, lead):
    _signed_in(client, lead)
    assert client.get(reverse("plans:action_create", args=[action.objective.uuid])).status_code == 403
    assert client.get(reverse("plans:action_edit", args=[action.uuid])).status_code == 403


# --- The lead's update ----------------------------------------------------------------------------------


def _update(**overrides):
    return {
        "status": ActionStatus.IN_PROGRESS,
        "progress": "40",
        "rag": Rag.GREEN,
        "rag_reason": "",
        "evidence": "",
    } | overrides


def test_a_responder_updates_the_action_they_lead(client, action, lead):
    url = reverse("plans:action_update", args=[action.uuid])
    response = _signed_in(client, lead).post(
        url, _update(rag=Rag.AMBER, rag_reason="Trainers booked late.", evidence="Two wards trained.")
    )
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    action.refresh_from_db()
    assert (action.status, action.progress, action.rag) == (ActionStatus.IN_PROGRESS, 40, Rag.AMBER)
    assert action.last_updated_at is not None


def test_a_responder_cannot_update_an_action_someone_else_leads(client, action, lead, trust):
    other = ActionFactory(objective=action.objective, code="2.9", lead=make_persona(Role.RESPONDER, organisation=trust))
    _signed_in(client, lead)
    assert client.get(reverse("plans:action_detail", args=[other.uuid])).status_code == 200  # they see it
    assert client.get(reverse("plans:action_update", args=[other.uuid])).status_code == 403
    assert client.post(reverse("plans:action_update", args=[other.uuid]), _update(progress="90")).status_code == 403
    other.refresh_from_db()
    assert other.progress == 0


def test_red_or_amber_without_a_reason_is_refused_on_the_reason_keeping_what_was_typed(client, action, lead):
    url = reverse("plans:action_update", args=[action.uuid])
    response = _signed_in(client, lead).post(url, _update(rag=Rag.RED, progress="15", evidence="Met the forum."))
    assert response.status_code == 400
    assert _errors_on(response, "rag_reason") == ["Say why the action is rated Red."]
    page = response.content.decode()
    assert "Met the forum." in page
    assert 'value="15"' in page
    assert response.context["form"]["rag"].value() == Rag.RED
    action.refresh_from_db()
    assert action.rag == Rag.NOT_RATED and action.progress == 0


def test_a_changed_rating_needs_a_new_reason(client, action, lead):
    Action.objects.filter(pk=action.pk).update(rag=Rag.AMBER, rag_reason="Trainers booked late.")
    response = _signed_in(client, lead).post(
        reverse("plans:action_update", args=[action.uuid]), _update(rag=Rag.RED, rag_reason="Trainers booked late.")
    )
    assert response.status_code == 400
    assert _errors_on(response, "rag_reason") == ["The rating changed: give the reason for the new rating."]


def test_progress_over_100_is_refused_on_its_field(client, action, lead):
    response = _signed_in(client, lead).post(
        reverse("plans:action_update", args=[action.uuid]), _update(progress="120")
    )
    assert response.status_code == 400
    assert _errors_on(response, "progress") == ["Progress cannot be more than 100"]


def test_a_change_of_rating_shows_with_its_reason_and_author(client, action, lead):
    _signed_in(client, lead).post(
        reverse("plans:action_update", args=[action.uuid]), _update(rag=Rag.AMBER, rag_reason="Trainers booked late.")
    )
    page = client.get(action.get_absolute_url())
    history = page.context["rag_history"]
    assert (history[0].rag, history[0].rag_reason, history[0].history_user) == (
        Rag.AMBER,
        "Trainers booked late.",
        lead,
    )
    text = page.content.decode()
    changes = text[text.index("Changes of rating") :]
    assert "Trainers booked late." in changes and "Rosa Responder" in changes


def test_the_action_page_offers_update_to_its_lead_and_edit_to_staff(client, action, lead, staff):
    page = _signed_in(client, lead).get(action.get_absolute_url()).content.decode()
    assert "Update this action" in page and reverse("plans:action_edit", args=[action.uuid]) not in page
    page = _signed_in(client, make_persona(Role.ANALYST)).get(action.get_absolute_url()).content.decode()
    assert "Update this action" not in page
    page = _signed_in(client, staff).get(action.get_absolute_url()).content.decode()
    assert "Update this action" in page and reverse("plans:action_edit", args=[action.uuid]) in page
    plan_page = client.get(action.objective.plan.get_absolute_url()).content.decode()
    assert reverse("plans:action_create", args=[action.objective.uuid]) in plan_page
    plan_page = _signed_in(client, lead).get(action.objective.plan.get_absolute_url()).content.decode()
    assert "Add an action" not in plan_page


# --- Milestones -------------------------------------------------------------------------------------------


def test_the_lead_adds_edits_and_completes_a_milestone(client, action, lead):
    _signed_in(client, lead)
    response = client.post(
        reverse("plans:milestone_create", args=[action.uuid]), {"title": "First ward trained", "due_date": "2026-01-31"}
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(action=action)
    response = client.post(
        reverse("plans:milestone_edit", args=[milestone.uuid]), {"title": "Ash ward trained", "due_date": "2026-02-28"}
    )
    assert response.status_code == 302
    response = client.post(reverse("plans:milestone_complete", args=[milestone.uuid]))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("Ash ward trained", datetime.date(2026, 2, 28))
    assert milestone.completed_on == timezone.localdate()
    assert "Ash ward trained: done" in client.get(action.get_absolute_url()).content.decode()


def test_a_milestone_outside_the_plan_is_refused_on_its_date(client, action, lead):
    response = _signed_in(client, lead).post(
        reverse("plans:milestone_create", args=[action.uuid]), {"title": "Far off", "due_date": "2031-01-01"}
    )
    assert response.status_code == 400
    assert "within the plan's period" in " ".join(_errors_on(response, "due_date"))
    assert 'value="Far off"' in response.content.decode()


def test_someone_elses_milestones_are_not_theirs_to_change(client, action, trust):
    milestone = Milestone.objects.create(action=action, title="Trained", due_date=action.due_date)
    _signed_in(client, make_persona(Role.RESPONDER, organisation=trust))
    assert client.post(reverse("plans:milestone_complete", args=[milestone.uuid])).status_code == 403
    milestone.refresh_from_db()
    assert milestone.completed_on is None


# --- Evidence -------------------------------------------------------------------------------------------


def test_the_lead_adds_a_link(client, action, lead):
    response = _signed_in(client, lead).post(
        reverse("plans:evidence_create", args=[action.uuid]),
        {"title": "Training report", "url": "https://www.example.org/report"},
    )
    assert response.status_code == 302
    item = ActionEvidence.objects.get(action=action)
    assert (item.url, item.added_by) == ("https://www.example.org/report", lead)


def test_evidence_needs_a_link_or_a_file_not_both(client, action, lead):
    _signed_in(client, lead)
    url = reverse("plans:evidence_create", args=[action.uuid])
    response = client.post(url, {"title": "Training report", "url": ""})
    assert response.status_code == 400
    assert _errors_on(response, "url") == ["Give a link, or choose a file to upload."]
    assert 'value="Training report"' in response.content.decode()
    response = client.post(
        url,
        {"title": "Both", "url": "https://www.example.org/a", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 a")},
    )
    assert response.status_code == 400
    assert "not both" in " ".join(_errors_on(response, "file"))


def test_an_evidence_file_over_the_size_limit_is_refused_on_its_field(client, action, lead, settings):
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "documents": {**settings.UPLOAD_LIMITS["documents"], "max_bytes": 1024},
    }
    big = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 " + b"x" * 2048)
    response = _signed_in(client, lead).post(
        reverse("plans:evidence_create", args=[action.uuid]), {"title": "Minutes", "url": "", "file": big}
    )
    assert response.status_code == 400
    assert _errors_on(response, "file") == ["The file is 2.0 KB; the largest file you can upload here is 1 KB."]
    assert not ActionEvidence.objects.exists()


def test_an_evidence_file_of_the_wrong_type_is_refused(client, action, lead):
    response = _signed_in(client, lead).post(
        reverse("plans:evidence_create", args=[action.uuid]),
        {"title": "Script", "url": "", "file": SimpleUploadedFile("run.exe", b"MZ...")},
    )
    assert response.status_code == 400
    assert _errors_on(response, "file")[0].startswith("Upload a PDF")


def test_an_evidence_file_is_served_only_to_those_who_see_the_plan(client, action, lead, trust):
    action.objective.plan.status = PlanStatus.DRAFT
    action.objective.plan.save()
    _signed_in(client, lead).post(
        reverse("plans:evidence_create", args=[action.uuid]),
        {"title": "Minutes", "url": "", "file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")},
    )
    item = ActionEvidence.objects.get(action=action)
    url = reverse("plans:evidence_file", args=[item.uuid])
    assert url in client.get(action.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    # A responder of another trust does not see the draft plan, nor its files.
    _signed_in(client, make_persona(Role.RESPONDER))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# --- Lists ---------------------------------------------------------------------------------------------


def test_my_actions_lists_what_i_lead_stale_and_late_first(client, action, lead):
    plan = action.objective.plan
    now = timezone.now()
    late = ActionFactory(objective=action.objective, code="2.2", title="Late one", lead=lead)
    stale = ActionFactory(objective=action.objective, code="2.3", title="Stale one", lead=lead)
    done = ActionFactory(
        objective=action.objective, code="2.4", title="Done one", lead=lead, status=ActionStatus.COMPLETE
    )
    ActionFactory(objective=action.objective, code="2.5", title="Not mine")
    interval = datetime.timedelta(days=plan.update_interval_days)
    Action.objects.filter(pk=action.pk).update(last_updated_at=now)
    Action.objects.filter(pk=late.pk).update(last_updated_at=now - interval * 1.5)
    Action.objects.filter(pk=stale.pk).update(last_updated_at=now - interval * 3)
    Action.objects.filter(pk=done.pk).update(last_updated_at=now - interval * 3)
    response = _signed_in(client, lead).get(reverse("plans:my_actions"))
    assert [a.title for a in response.context["actions"]] == ["Stale one", "Late one", "Train staff", "Done one"]
    page = response.content.decode()
    assert "Not mine" not in page
    assert page.index("Stale one") < page.index("Late one")


def test_my_actions_is_in_the_navigation(client, lead):
    page = _signed_in(client, lead).get(reverse("core:home")).content.decode()
    assert reverse("plans:my_actions") in page


def test_my_actions_does_not_query_per_action(client, lead, trust, django_assert_max_num_queries):
    for number in range(30):
        plan = PlanFactory(owner=trust)
        ActionFactory(objective=ObjectiveFactory(plan=plan), code=f"9.{number}", lead=lead)
    _signed_in(client, lead)
    client.get(reverse("plans:my_actions"))  # the session and grants warmed up
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:my_actions"))
    assert len(response.context["actions"]) == 25
    assert response.context["page_obj"].paginator.num_pages == 2


def test_the_list_of_actions_filters_by_rag_and_shows_only_visible_plans(client, action, staff, trust):
    ActionFactory(objective=action.objective, code="2.7", title="Red one", rag=Rag.RED, rag_reason="Stuck.")
    draft = PlanFactory(status=PlanStatus.DRAFT, title="Another trust's draft")
    ActionFactory(objective=ObjectiveFactory(plan=draft), title="Hidden one")
    response = _signed_in(client, staff).get(reverse("plans:action_list"), {"rag": Rag.RED})
    assert [a.title for a in response.context["actions"]] == ["Red one"]
    response = _signed_in(client, make_persona(Role.RESPONDER, organisation=trust)).get(reverse("plans:action_list"))
    titles = {a.title for a in response.context["actions"]}
    assert "Train staff" in titles and "Hidden one" not in titles


def test_the_list_of_actions_does_not_query_per_action(client, staff, trust, django_assert_max_num_queries):
    plan = PlanFactory(owner=trust)
    objective = ObjectiveFactory(plan=plan)
    for number in range(30):
        ActionFactory(objective=objective, code=f"9.{number}", lead=make_persona(Role.STAFF))
    _signed_in(client, staff)
    client.get(reverse("plans:action_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("plans:action_list"))
