"""Feeds read from neighbouring directories, end to end: a neighbour's API on 127.0.0.1 (``feed_server``)
read into Waymark, with quarantine, updates, local edits held for review, retirement, duplicates shown for
merging, and a feed that fails leaving the last good data in place."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.directory import services as directory_services
from waymark.directory.choices import DuplicateDecision, FeedRecordState, FeedRunOutcome, VersionDecision
from waymark.directory.factories import LocationFactory, ServiceFactory
from waymark.directory.feeds.registration import create_feed
from waymark.directory.feeds.syncing import read_due_feeds, read_feed_now
from waymark.directory.models import Feed, FeedRecord, PossibleDuplicate, Service, Taxonomy, TaxonomyTerm
from waymark.directory.search import search_services
from waymark.directory.tests.feed_server import feed_postcode, sample_feed_records

pytestmark = pytest.mark.django_db


def _broken(records):
    """Two records a neighbour should not publish: one with no name, one placed off the planet."""
    nameless = dict(records[0], id="broken-no-name")
    nameless.pop("name")
    off_planet = dict(records[1], id="broken-latitude", name="Far Away Group")
    link = dict(off_planet["service_at_locations"][0])
    link["location"] = dict(link["location"], latitude=123.0)
    off_planet["service_at_locations"] = [link]
    return [nameless, off_planet]


@pytest.fixture
def staff():
    return make_persona(Role.STAFF, full_name="Ada Worker")


@pytest.fixture
def feed(feed_server, staff):
    return create_feed(
        actor=staff,
        data={
            "name": "Nextborough Local Offer",
            "url": feed_server.url,
            "publisher_name": "Nextborough Council",
            "publisher_identifier": "GB-LAE-NXT",
            "grace_days": 30,
        },
    )


def _service(feed, source_id):
    return FeedRecord.objects.get(feed=feed, source_id=source_id).service


def test_a_read_imports_the_valid_records_and_quarantines_the_rest_with_reasons(feed_server, feed):
    records = sample_feed_records(4)
    feed_server.serve_services(records + _broken(records))

    run = read_feed_now(feed)

    assert run.outcome == FeedRunOutcome.READ
    assert (run.records_read, run.created, run.quarantined) == (6, 4, 2)
    imported = Service.objects.filter(feed_records__feed=feed)
    assert sorted(imported.values_list("name", flat=True)) == sorted(record["name"] for record in records)
    assert all(service.published for service in imported)
    nameless = FeedRecord.objects.get(feed=feed, source_id="broken-no-name")
    assert nameless.state == FeedRecordState.QUARANTINED and nameless.service is None
    assert any("name" in problem["field"] or "name" in problem["message"] for problem in nameless.problems)
    far = FeedRecord.objects.get(feed=feed, source_id="broken-latitude")
    assert any("latitude" in problem["field"] for problem in far.problems), far.problems
    feed.refresh_from_db()
    assert feed.last_outcome == FeedRunOutcome.READ and "4 added" in feed.last_message


def test_a_record_holding_a_nul_character_is_quarantined_and_the_rest_go_in(feed_server, feed):
    records = sample_feed_records(2)
    records[1]["description"] = "Bad\u0000 bytes"
    feed_server.serve_services(records)

    run = read_feed_now(feed)

    assert (run.created, run.quarantined) == (1, 1)
    record = FeedRecord.objects.get(feed=feed, source_id=records[1]["id"])
    assert "NUL" in record.problems[0]["message"] and record.received is None


def test_a_listed_record_whose_own_address_is_gone_is_quarantined_and_keeps_its_last_version(feed_server, feed):
    records = sample_feed_records(2)
    feed_server.serve_services(records)
    read_feed_now(feed)
    records[0]["description"] = "Never seen: its address is gone."
    feed_server.serve_services(records)
    feed_server.route(f"/services/{records[0]['id']}", status=404, body={"detail": "Not found."})

    run = read_feed_now(feed)

    assert run.outcome == FeedRunOutcome.READ and (run.quarantined, run.unchanged) == (1, 1)
    record = FeedRecord.objects.get(feed=feed, source_id=records[0]["id"])
    assert record.state == FeedRecordState.QUARANTINED and record.vanished_at is None
    assert "answered 404 Not Found" in record.problems[0]["message"]
    assert record.service.published and record.service.description != "Never seen: its address is gone."


def test_records_get_ids_of_their_own_so_a_neighbour_cannot_overwrite_a_local_record(feed_server, feed):
    local = ServiceFactory(name="Our Own Drop-in", description="Kept by us.")
    record = sample_feed_records(1)[0]
    record["id"] = str(local.uuid)
    feed_server.serve_services([record])

    read_feed_now(feed)

    local.refresh_from_db()
    assert (local.name, local.description) == ("Our Own Drop-in", "Kept by us.")
    assert _service(feed, str(local.uuid)).pk != local.pk


def test_only_needs_waymark_knows_are_kept_and_the_feeds_needs_are_added(feed_server, feed, staff):
    need = TaxonomyTerm.objects.order_by("pk").first()
    feed.needs.set([need])
    taxonomies_before = Taxonomy.objects.count()
    feed_server.serve_services(sample_feed_records(2))

    read_feed_now(feed)

    assert Taxonomy.objects.count() == taxonomies_before  # the neighbour's own taxonomy was not copied in
    for service in Service.objects.filter(feed_records__feed=feed):
        assert list(service.categories.all()) == [need]


def test_a_record_changed_at_the_source_is_updated_on_the_next_read(feed_server, feed):
    records = sample_feed_records(2)
    feed_server.serve_services(records)
    read_feed_now(feed)
    records[0]["description"] = "Now meeting on Thursdays too."
    feed_server.serve_services(records)

    run = read_feed_now(feed)

    assert (run.updated, run.unchanged) == (1, 1)
    assert _service(feed, records[0]["id"]).description == "Now meeting on Thursdays too."


def test_a_record_edited_here_waits_for_review_and_a_person_chooses_the_version(client, feed_server, feed, staff):
    records = sample_feed_records(1)
    feed_server.serve_services(records)
    read_feed_now(feed)
    service = _service(feed, records[0]["id"])
    directory_services.update_service(actor=staff, service=service, data={"description": "Checked by phone today."})
    records[0]["description"] = "The neighbour's new words."
    feed_server.serve_services(records)

    run = read_feed_now(feed)

    assert run.held == 1
    service.refresh_from_db()
    assert service.description == "Checked by phone today."
    record = FeedRecord.objects.get(feed=feed, source_id=records[0]["id"])
    assert record.state == FeedRecordState.HELD
    verified_login(client, staff)
    page = client.get(reverse("directory:feed_record", args=[feed.uuid, record.pk]))
    assert "Checked by phone today." in page.text and "The neighbour&#x27;s new words." in page.text

    client.post(reverse("directory:feed_record_decide", args=[feed.uuid, record.pk]), {"action": "take"})

    service.refresh_from_db()
    assert service.description == "The neighbour's new words."
    record.refresh_from_db()
    assert record.state == FeedRecordState.CURRENT
    assert (record.decision, record.decided_by) == (VersionDecision.SOURCE, staff) and record.decided_at


def test_keeping_waymarks_copy_holds_later_changes_at_the_source_too(client, feed_server, feed, staff):
    records = sample_feed_records(1)
    original_name = records[0]["name"]
    feed_server.serve_services(records)
    read_feed_now(feed)
    service = _service(feed, records[0]["id"])
    directory_services.update_service(actor=staff, service=service, data={"phone": "020 7946 1111"})
    records[0]["name"] = "Renamed at the source"
    feed_server.serve_services(records)
    read_feed_now(feed)
    record = FeedRecord.objects.get(feed=feed, source_id=records[0]["id"])
    verified_login(client, staff)
    client.post(reverse("directory:feed_record_decide", args=[feed.uuid, record.pk]), {"action": "keep"})
    record.refresh_from_db()
    assert (record.decision, record.decided_by) == (VersionDecision.WAYMARK, staff)
    page = client.get(reverse("directory:feed_record", args=[feed.uuid, record.pk])).content.decode()
    assert f"Waymark’s copy kept · {staff}" in page
    records[0]["name"] = "Renamed again at the source"
    feed_server.serve_services(records)

    run = read_feed_now(feed)

    assert run.held == 1
    service.refresh_from_db()
    assert service.name == original_name
    record.refresh_from_db()
    assert record.state == FeedRecordState.HELD and record.received["name"] == "Renamed again at the source"


def test_a_vanished_record_is_marked_then_unpublished_after_the_grace_period_and_returns(
    client, feed_server, feed, staff
):
    records = sample_feed_records(3)
    feed_server.serve_services(records)
    read_feed_now(feed)
    feed_server.serve_services(records[:2])

    first = read_feed_now(feed)

    gone = FeedRecord.objects.get(feed=feed, source_id=records[2]["id"])
    assert first.vanished == 1 and gone.vanished_at is not None
    assert gone.service.published  # within the grace period it stays listed
    verified_login(client, staff)
    page = client.get(reverse("directory:feed_detail", args=[feed.uuid]))
    assert "1 record gone from the feed: unpublished 30 days after it went" in page.text
    FeedRecord.objects.filter(pk=gone.pk).update(vanished_at=timezone.now() - datetime.timedelta(days=31))

    second = read_feed_now(feed)

    gone.refresh_from_db()
    assert second.retired == 1 and gone.state == FeedRecordState.RETIRED
    assert not gone.service.published
    feed_server.serve_services(records)

    read_feed_now(feed)

    gone.refresh_from_db()
    assert gone.state == FeedRecordState.CURRENT and gone.service.published and gone.vanished_at is None


@override_settings(DIRECTORY_FEED_TIMEOUT=0.2)
def test_a_feed_that_times_out_leaves_the_previous_data(feed_server, feed):
    records = sample_feed_records(2)
    feed_server.serve_services(records)
    read_feed_now(feed)
    feed.refresh_from_db()
    last_success = feed.last_success_at
    feed_server.route("/services", body={"contents": []}, delay=5)

    run = read_feed_now(feed)

    assert run.outcome == FeedRunOutcome.FAILED
    assert "unchanged" in run.message
    feed.refresh_from_db()
    assert feed.last_outcome == FeedRunOutcome.FAILED and feed.last_success_at == last_success
    assert Service.objects.filter(feed_records__feed=feed, published=True).count() == 2
    assert not FeedRecord.objects.filter(feed=feed, vanished_at__isnull=False).exists()


def test_a_feed_that_is_not_json_fails_with_a_message_and_writes_nothing(feed_server, feed):
    feed_server.route("/services", body="<html>Down for maintenance</html>", content_type="text/html")

    run = read_feed_now(feed)

    assert run.outcome == FeedRunOutcome.FAILED and "JSON" in run.message
    assert not FeedRecord.objects.filter(feed=feed).exists()


def test_possible_duplicates_are_shown_and_merged_only_when_a_person_says_so(client, feed_server, feed, staff):
    records = sample_feed_records(2)
    local = ServiceFactory(name=records[0]["name"], published=True, phone="020 7946 0001")
    directory_services.set_service_locations(
        actor=staff,
        service=local,
        locations=[LocationFactory(organisation=local.organisation, postcode=feed_postcode(1))],
    )
    feed_server.serve_services(records)

    read_feed_now(feed)

    duplicate = PossibleDuplicate.objects.get(record__source_id=records[0]["id"])
    assert duplicate.other == local and duplicate.decision == DuplicateDecision.OPEN
    copy = duplicate.record.service
    assert Service.objects.filter(pk=copy.pk).exists()  # nothing merged blindly
    verified_login(client, staff)
    assert local.name in client.get(reverse("directory:feed_detail", args=[feed.uuid])).text

    client.post(reverse("directory:duplicate_decide", args=[feed.uuid, duplicate.pk]), {"action": "same"})

    record = FeedRecord.objects.get(pk=duplicate.record.pk)
    assert record.service == local and record.merged
    assert not Service.objects.filter(pk=copy.pk).exists()
    found = search_services(Service.objects.visible_to(None), text=records[0]["name"])
    assert found.total == 1 and [service.pk for service in found.page(1)] == [local.pk]
    records[0]["description"] = "Changed by the neighbour after the merge."
    feed_server.serve_services(records)
    read_feed_now(feed)
    local.refresh_from_db()
    assert local.description != "Changed by the neighbour after the merge."
    record.refresh_from_db()
    assert record.state == FeedRecordState.HELD


def test_different_services_stay_apart(client, feed_server, feed, staff):
    records = sample_feed_records(1)
    local = ServiceFactory(name=records[0]["name"], published=True, phone="020 7946 0001")
    feed_server.serve_services(records)
    read_feed_now(feed)
    duplicate = PossibleDuplicate.objects.get(other=local)
    verified_login(client, staff)

    client.post(reverse("directory:duplicate_decide", args=[feed.uuid, duplicate.pk]), {"action": "different"})

    duplicate.refresh_from_db()
    assert duplicate.decision == DuplicateDecision.DIFFERENT and duplicate.decided_by == staff
    assert Service.objects.filter(feed_records__feed=feed).exists() and Service.objects.filter(pk=local.pk).exists()


def test_public_pages_staff_pages_and_the_api_say_where_a_record_came_from(client, feed_server, feed, staff):
    records = sample_feed_records(1)
    feed_server.serve_services(records)
    read_feed_now(feed)
    service = _service(feed, records[0]["id"])

    page = client.get(service.get_absolute_url())
    assert "Listed by Nextborough Council in their own directory" in page.text

    data = client.get(f"/api/v1/directory/services/{service.uuid}").json()
    assert data["metadata"][0]["previous_value"] == records[0]["id"]
    assert data["metadata"][0]["updated_by"].startswith("Nextborough Council (GB-LAE-NXT)")

    verified_login(client, staff)
    staff_page = client.get(reverse("directory:service_staff_detail", args=[service.uuid]))
    record = FeedRecord.objects.get(service=service)
    assert "Read from Nextborough Council’s directory" in staff_page.text
    assert reverse("directory:feed_record", args=[feed.uuid, record.pk]) in staff_page.text


def test_only_due_active_feeds_are_read_on_schedule(feed_server, feed, staff):
    feed_server.serve_services(sample_feed_records(1))
    paused = create_feed(
        actor=staff,
        data={"name": "Paused", "url": feed_server.url, "publisher_name": "Someone", "active": False},
    )

    runs = read_due_feeds()

    assert [run.feed for run in runs] == [feed]
    feed.refresh_from_db()
    assert feed.next_read_at > timezone.now() + datetime.timedelta(hours=23)
    assert read_due_feeds() == []
    assert not paused.runs.exists()


def test_a_second_read_while_one_runs_is_skipped(feed_server, feed):
    Feed.objects.filter(pk=feed.pk).update(reading_since=timezone.now())

    run = read_feed_now(feed)

    assert run.outcome == FeedRunOutcome.SKIPPED
    assert feed_server.requests == []


# --- The pages ----------------------------------------------------------------------------------------


def test_staff_register_a_feed_and_read_it_now(client, feed_server, staff, django_capture_on_commit_callbacks):
    feed_server.serve_services(sample_feed_records(2))
    verified_login(client, staff)
    need = TaxonomyTerm.objects.order_by("pk").first()

    response = client.post(
        reverse("directory:feed_create"),
        {
            "name": "Healthwatch directory",
            "url": feed_server.url,
            "publisher_name": "Healthwatch Nextborough",
            "needs": [need.pk],
            "read_every": 24,
            "grace_days": 14,
            "active": "on",
        },
    )
    feed = Feed.objects.get(name="Healthwatch directory")
    assert response.status_code == 302 and response["Location"] == feed.get_absolute_url()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:feed_read", args=[feed.uuid]))
    response = client.get(response["Location"])

    assert "Records: 2 read, 2 added." in response.text
    listing = client.get(reverse("directory:feed_list"))
    assert "Healthwatch directory" in listing.text


@override_settings(DIRECTORY_FEED_ALLOWED_NETWORKS=[])
def test_a_feed_on_a_private_address_is_refused_on_the_form_and_nothing_typed_is_lost(client, staff):
    verified_login(client, staff)

    response = client.post(
        reverse("directory:feed_create"),
        {
            "name": "Internal box",
            "url": "http://127.0.0.1:9/api",
            "publisher_name": "Nobody",
            "read_every": 24,
            "grace_days": 30,
        },
    )

    assert response.status_code == 400
    assert "Internal box" in response.text and "http://127.0.0.1:9/api" in response.text
    assert "loopback" in response.context["form"].errors["url"][0]
    assert not Feed.objects.exists()


def test_people_without_the_feeds_permission_cannot_see_feeds(client, feed):
    for role in (Role.RESPONDER, Role.ANALYST, Role.MEMBER):
        verified_login(client, make_persona(role))
        assert client.get(reverse("directory:feed_list")).status_code == 403
        assert client.get(reverse("directory:feed_detail", args=[feed.uuid])).status_code in {403, 404}
        assert client.post(reverse("directory:feed_read", args=[feed.uuid])).status_code in {403, 404}


def test_the_feed_list_counts_each_record_once_however_many_duplicates_it_has(client, feed_server, feed, staff):
    records = sample_feed_records(2)
    for number in (1, 2):
        ServiceFactory(name=records[0]["name"], published=True, phone=f"020 7946 000{number}")
    feed_server.serve_services(records)
    read_feed_now(feed)
    assert PossibleDuplicate.objects.filter(record__source_id=records[0]["id"]).count() == 2
    verified_login(client, staff)

    listed = client.get(reverse("directory:feed_list")).context["page_obj"][0]

    assert (listed.in_waymark, listed.open_duplicates) == (2, 2)
