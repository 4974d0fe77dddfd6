"""The activity log as a worker meets it: log an activity in one short form, see it in their list with this
quarter's totals, change or delete only their own entries, and download them; a line manager downloads a
worker's entries, nobody else; every bad input refused on its field with what was typed kept."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import ExportKind
from waymark.core.file_headers import split_file_header
from waymark.core.models import ExportLog
from waymark.core.roles import Role
from waymark.partnership.activity_log import Quarter
from waymark.partnership.choices import ActivityType, CdwFunction
from waymark.partnership.factories import ActivityFactory, CdwTeamFactory, CommunityFactory
from waymark.partnership.models import Activity
from waymark.partnership.services.activity import change_activity, delete_activity, record_activity
from waymark.plans.factories import ActionFactory
from waymark.voice.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return make_persona(Role.STAFF, full_name="Wanda Worker")


@pytest.fixture
def manager():
    return make_persona(Role.STAFF, full_name="Mo Manager")


@pytest.fixture
def community():
    return CommunityFactory(name="Somali")


def _signed_in(client, user):
    verified_login(client, user)
    return client


def _post(community=None, **overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "hours": "1.5",
        "activity_type": ActivityType.GROUP_MEETING,
        "functions": [CdwFunction.CAPACITY_BUILDER, CdwFunction.CHANGE_AGENT],
        "communities": [community.pk] if community else [],
        "venue": "Eastside community centre",
        "outcome": "The women's group will run its own health day.",
    }
    data.update(overrides)
    return data


def _errors_on(response, field):
    return response.context["form"].errors.get(field, [])


# --- Logging an activity -------------------------------------------------------------------------------------


def test_a_worker_logs_an_activity_and_sees_it_in_their_list(client, worker, community):
    _signed_in(client, worker)
    form = client.get(reverse("partnership:activity_create"))
    assert form.status_code == 200
    page = form.content.decode()
    today = timezone.localdate()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):  # defaults to today
        assert f'name="date_{part}" value="{value}"' in page
    assert "Building community groups" in page  # each function with its help
    response = client.post(reverse("partnership:activity_create"), _post(community))
    assert response.status_code == 302
    (activity,) = Activity.objects.all()
    assert activity.worker == worker
    assert activity.hours == Decimal("1.50")
    assert activity.functions == [CdwFunction.CHANGE_AGENT, CdwFunction.CAPACITY_BUILDER]
    assert list(activity.communities.all()) == [community]
    assert activity.history.count() == 1  # one audit row for the entry and its links
    listing = client.get(response.url).content.decode()
    assert "Your activity is logged." in listing
    assert "Community group meeting" in listing and "Somali" in listing
    assert "Eastside community centre" in listing
    assert "1.50 hours in 1 entry" in listing


@pytest.mark.parametrize("hours", ["0", "0.1", "24.25", "100", "-1"])
def test_hours_out_of_range_are_refused_on_the_hours_field(client, worker, community, hours):
    response = _signed_in(client, worker).post(reverse("partnership:activity_create"), _post(community, hours=hours))
    assert response.status_code == 400
    assert any("Hours must be" in error for error in _errors_on(response, "hours"))
    assert "Eastside community centre" in response.content.decode()  # nothing typed lost
    assert not Activity.objects.exists()


def test_hours_not_in_quarters_or_not_a_number_are_refused_on_the_hours_field(client, worker, community):
    _signed_in(client, worker)
    odd = client.post(reverse("partnership:activity_create"), _post(community, hours="1.1"))
    assert _errors_on(odd, "hours") == ["Hours must be in quarters of an hour, such as 0.75 or 1.5."]
    words = client.post(reverse("partnership:activity_create"), _post(community, hours="two"))
    assert _errors_on(words, "hours") == ["Hours must be a number, such as 1.5."]
    empty = client.post(reverse("partnership:activity_create"), _post(community, hours=""))
    assert _errors_on(empty, "hours") == ["Enter the hours the activity took, such as 1.5."]


def test_an_activity_serving_no_function_is_refused_on_the_functions_field(client, worker, community):
    response = _signed_in(client, worker).post(reverse("partnership:activity_create"), _post(community, functions=[]))
    assert response.status_code == 400
    assert _errors_on(response, "functions") == ["Choose at least one of the four functions the activity served."]
    page = response.content.decode()
    assert 'href="#id_functions_0"' in page  # the error summary leads to the first checkbox
    assert 'id="id_functions_error"' in page
    assert "The women&#x27;s group will run its own health day." in page


def test_a_date_in_the_future_or_missing_is_refused_on_the_date_field(client, worker, community):
    _signed_in(client, worker)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = client.post(reverse("partnership:activity_create"), _post(community, date=tomorrow))
    assert _errors_on(future, "date") == ["The date of the activity cannot be in the future."]
    missing = client.post(reverse("partnership:activity_create"), _post(community, date=""))
    assert _errors_on(missing, "date") == ["Enter the date of the activity."]


def test_the_checked_functions_are_kept_when_another_field_is_refused(client, worker, community):
    response = _signed_in(client, worker).post(reverse("partnership:activity_create"), _post(community, hours="30"))
    options = {option["value"]: option["checked"] for option in response.context["form"].function_options}
    assert options == {
        "change_agent": True,
        "access_facilitator": False,
        "service_developer": False,
        "capacity_builder": True,
    }


def test_the_feedback_picker_offers_the_latest_items_and_keeps_those_already_linked(client, worker):
    today = timezone.localdate()
    items = [FeedbackItemFactory(received_on=today - datetime.timedelta(days=days)) for days in range(55)]
    oldest = items[-1]
    form = _signed_in(client, worker).get(reverse("partnership:activity_create")).context["form"]
    offered = list(form.fields["feedback_items"].queryset)
    assert len(offered) == 50 and oldest not in offered and items[0] in offered
    activity = ActivityFactory(worker=worker)
    activity.feedback_items.add(oldest)
    form = client.get(reverse("partnership:activity_edit", args=[activity.uuid])).context["form"]
    assert oldest in form.fields["feedback_items"].queryset


def test_the_pickers_offer_nothing_a_responder_cannot_see():
    from waymark.partnership.forms_activity import ActivityForm

    FeedbackItemFactory()
    form = ActivityForm(user=make_persona(Role.RESPONDER))
    assert not form.fields["feedback_items"].queryset.exists()
    assert not form.fields["issues"].queryset.exists()


def test_the_communities_a_worker_has_worked_with_come_first(client, worker):
    CommunityFactory(name="Afghan")
    somali = CommunityFactory(name="Somali")
    ActivityFactory(worker=worker).communities.add(somali)
    ActivityFactory(worker=make_persona(Role.STAFF)).communities.add(CommunityFactory(name="Bangladeshi"))
    form = _signed_in(client, worker).get(reverse("partnership:activity_create")).context["form"]
    names = [community.name for community in form.fields["communities"].queryset]
    assert names[0] == "Somali"
    assert names.index("Afghan") < names.index("Bangladeshi")  # the rest in order of name


def test_an_activity_links_feedback_and_plan_actions(client, worker, community):
    item = FeedbackItemFactory()
    action = ActionFactory()
    response = _signed_in(client, worker).post(
        reverse("partnership:activity_create"),
        _post(community, feedback_items=[item.pk], plan_actions=[action.pk]),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.feedback_items.all()) == [item]
    assert list(activity.plan_actions.all()) == [action]


# --- The list ------------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_workers_own_entries_newest_first(client, worker, manager):
    ActivityFactory(worker=worker, date=timezone.localdate() - datetime.timedelta(days=3), venue="Older")
    ActivityFactory(worker=worker, date=timezone.localdate(), activity_type=ActivityType.TRAINING)
    ActivityFactory(worker=manager, activity_type=ActivityType.MAPPING)
    response = _signed_in(client, worker).get(reverse("partnership:activity_list"))
    entries = list(response.context["page"].object_list)
    assert [entry.worker for entry in entries] == [worker, worker]
    assert entries[0].date > entries[1].date
    assert "Research or community mapping" not in response.content.decode()


def test_this_quarters_totals_leave_out_earlier_quarters(client, worker):
    today = timezone.localdate()
    quarter = Quarter.of(today)
    ActivityFactory(worker=worker, date=quarter.start, hours=Decimal("2.5"))
    ActivityFactory(worker=worker, date=today, hours=Decimal("1"))
    ActivityFactory(worker=worker, date=quarter.start - datetime.timedelta(days=1), hours=Decimal("7"))
    totals = _signed_in(client, worker).get(reverse("partnership:activity_list")).context["totals"]
    assert (totals.hours, totals.entries) == (Decimal("3.5"), 2)


def test_quarters_are_calendar_quarters():
    assert Quarter.of(datetime.date(2026, 12, 7)) == Quarter(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert Quarter.of(datetime.date(2026, 2, 28)) == Quarter(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert str(Quarter.of(datetime.date(2026, 5, 1))) == "April to June 2026"


def test_the_list_pages_and_does_not_query_per_entry(client, worker, community, django_assert_max_num_queries):
    for day in range(30):
        entry = ActivityFactory(worker=worker, date=timezone.localdate() - datetime.timedelta(days=day))
        entry.communities.add(community)
    _signed_in(client, worker)
    client.get(reverse("partnership:activity_list"))  # the session and grants warmed up
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partnership:activity_list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.num_pages == 2


# --- Changing and deleting -----------------------------------------------------------------------------------


def test_a_worker_changes_their_entry_with_everything_shown_as_saved(client, worker, community):
    activity = ActivityFactory(worker=worker, access_facilitator=True, change_agent=False, venue="Library")
    activity.communities.add(community)
    _signed_in(client, worker)
    page = client.get(reverse("partnership:activity_edit", args=[activity.uuid]))
    options = {option["value"]: option["checked"] for option in page.context["form"].function_options}
    assert options["access_facilitator"] and not options["change_agent"]
    response = client.post(
        reverse("partnership:activity_edit", args=[activity.uuid]),
        _post(community, hours="3", functions=[CdwFunction.SERVICE_DEVELOPER]),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.hours == Decimal("3") and activity.functions == [CdwFunction.SERVICE_DEVELOPER]


def test_nobody_else_changes_or_deletes_a_workers_entry(client, worker, manager):
    CdwTeamFactory(manager=manager, workers=[worker])
    activity = ActivityFactory(worker=worker)
    _signed_in(client, manager)
    # The line manager sees the entry, but does not change it
    assert client.get(reverse("partnership:activity_edit", args=[activity.uuid])).status_code == 403
    assert client.post(reverse("partnership:activity_delete", args=[activity.uuid])).status_code == 403
    # Another worker does not even see it
    _signed_in(client, make_persona(Role.STAFF))
    assert client.get(reverse("partnership:activity_edit", args=[activity.uuid])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()
    with pytest.raises(PermissionDenied):
        change_activity(actor=manager, activity=activity, data={"venue": "Elsewhere"}, links={})
    with pytest.raises(PermissionDenied):
        delete_activity(actor=manager, activity=activity)


def test_a_worker_deletes_their_entry_after_confirming(client, worker):
    activity = ActivityFactory(worker=worker)
    _signed_in(client, worker)
    confirm = client.get(reverse("partnership:activity_delete", args=[activity.uuid]))
    assert "Delete this activity?" in confirm.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    response = client.post(reverse("partnership:activity_delete", args=[activity.uuid]))
    assert response.url == reverse("partnership:activity_list")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert Activity.history.filter(uuid=activity.uuid, history_type="-").exists()  # the deletion is audited


# --- The service ---------------------------------------------------------------------------------------------


def test_the_service_refuses_what_the_form_would(worker):
    data = {"date": timezone.localdate(), "hours": Decimal("25"), "activity_type": ActivityType.OUTREACH}
    with pytest.raises(ValidationError) as refused:
        record_activity(actor=worker, data=data, links={})
    assert set(refused.value.message_dict) == {"hours", "functions"}


def test_only_workers_record_activity():
    analyst = make_persona(Role.ANALYST)
    data = {"date": timezone.localdate(), "hours": Decimal("1"), "activity_type": "outreach", "change_agent": True}
    with pytest.raises(PermissionDenied):
        record_activity(actor=analyst, data=data, links={})


# --- Downloads -----------------------------------------------------------------------------------------------


def test_a_worker_downloads_their_entries_as_csv_and_xlsx_and_the_download_is_logged(client, worker, community):
    activity = ActivityFactory(worker=worker, venue="=HYPERLINK(1)", capacity_builder=True)
    activity.communities.add(community)
    ActivityFactory(worker=make_persona(Role.STAFF), venue="Someone else's")
    _signed_in(client, worker)
    response = client.get(reverse("partnership:activity_export"), {"format": "csv"})
    lines, rows = split_file_header(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))))
    assert lines[-1] == "Not for publication: unsuppressed figures"
    assert rows[0][:3] == ["Date", "Hours", "Type"]
    assert len(rows) == 2
    assert rows[1][rows[0].index("Community capacity-builder")] == "Yes"
    assert rows[1][rows[0].index("Venue")] == "'=HYPERLINK(1)"  # a formula typed is shown, never run
    assert rows[1][rows[0].index("Communities")] == "Somali"
    workbook = load_workbook(io.BytesIO(client.get(reverse("partnership:activity_export"), {"format": "xlsx"}).content))
    assert len(split_file_header(list(workbook.active.iter_rows(values_only=True)))[1]) == 2
    logged = list(ExportLog.objects.order_by("pk"))
    assert [(log.kind, log.user, log.rows) for log in logged] == [(ExportKind.CDW_ACTIVITY, worker, 1)] * 2
    assert client.get(reverse("partnership:activity_export"), {"format": "pdf"}).status_code == 400


def test_a_line_manager_downloads_a_workers_entries_and_nobody_else_does(client, worker, manager):
    CdwTeamFactory(manager=manager, workers=[worker])
    ActivityFactory(worker=worker, venue="Mosque open day")
    url = reverse("partnership:worker_activity_export", args=[worker.pk])
    response = _signed_in(client, manager).get(url, {"format": "csv"})
    assert response.status_code == 200
    assert "Mosque open day" in response.content.decode("utf-8-sig")
    assert ExportLog.objects.get().user == manager
    for outsider in (make_persona(Role.STAFF), make_persona(Role.ADMIN)):
        assert _signed_in(client, outsider).get(url).status_code == 404
    assert ExportLog.objects.count() == 1


def test_a_workers_balance_page_links_to_their_entries_for_the_line_manager(client, worker):
    manager = make_persona(None, full_name="Manager without a role")
    team = CdwTeamFactory(manager=manager, workers=[worker])
    ActivityFactory(worker=worker, venue="Surgery")
    page = _signed_in(client, manager).get(reverse("partnership:worker_balance", args=[team.uuid, worker.pk]))
    download = reverse("partnership:worker_activity_export", args=[worker.pk])
    assert f"{download}?format=xlsx" in page.content.decode()
    assert "Surgery" in client.get(download, {"format": "csv"}).content.decode("utf-8-sig")


def test_a_download_names_only_linked_records_the_viewer_sees(client, worker):
    responder_manager = make_persona(Role.RESPONDER)
    CdwTeamFactory(manager=responder_manager, workers=[worker])
    item = FeedbackItemFactory()
    activity = ActivityFactory(worker=worker, venue="Clinic")
    activity.feedback_items.add(item)
    url = reverse("partnership:worker_activity_export", args=[worker.pk])
    assert item.reference in _signed_in(client, worker).get(url).content.decode("utf-8-sig")
    seen_by_manager = _signed_in(client, responder_manager).get(url).content.decode("utf-8-sig")
    assert "Clinic" in seen_by_manager and item.reference not in seen_by_manager
