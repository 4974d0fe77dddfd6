"""Who can open what: every URL the project has, for every persona, written out by hand.

The expected codes are typed in ``tests/permission_matrix.py``, not derived from the policy module, so a
change of policy shows up as a failing line someone has to agree to. A URL without a row fails the coverage
test.
"""

import copy
import logging

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import EXPECTED, EXPECTED_API_WRITE, EXPECTED_POST, PERSONAS
from tests.permission_world_grants import grants_world
from tests.permission_world_partnership import partnership_world
from tests.permission_world_plans import plans_world
from waymark.accounts.factories import make_persona, verified_login
from waymark.api.services import create_api_token
from waymark.core.choices import JobStatus
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Area, Community, Job, Postcode, Theme
from waymark.core.roles import Role
from waymark.directory.choices import FeedRecordState
from waymark.directory.factories import FundingSourceFactory, LocationFactory, ServiceFactory
from waymark.directory.models import Feed, FeedRecord, PossibleDuplicate, ServiceAtLocation, TaxonomyTerm

# Namespaces covered by one representative row rather than every generated URL.
REPRESENTED_NAMESPACES = {"admin": "admin:index"}


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                if pattern.namespace in REPRESENTED_NAMESPACES:
                    names.add(REPRESENTED_NAMESPACES[pattern.namespace])
                    continue
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return names


def test_every_url_has_a_row():
    names = {name.removesuffix("-format") for name in _all_url_names()}
    assert names - EXPECTED.keys() == set(), "Add these URLs to EXPECTED"
    assert EXPECTED.keys() - names == set(), "These rows name URLs that no longer exist"


def test_every_url_has_a_post_row():
    assert EXPECTED.keys() - EXPECTED_POST.keys() == set(), "Add these URLs to EXPECTED_POST"
    assert EXPECTED_POST.keys() - EXPECTED.keys() == set(), "These POST rows name URLs that no longer exist"
    assert {name for name, _method in EXPECTED_API_WRITE} <= {name for name in EXPECTED if name.startswith("api:")}


@pytest.fixture
def world(db):
    """The records the URLs point at, and one user per persona."""
    target = OrganisationFactory(name="Target organisation")
    users = {persona: make_persona(persona if persona != "no_role" else None) for persona in PERSONAS[1:]}
    admin = users[Role.ADMIN]
    job = Job.objects.create(name="seed_demo", label="Load demo borough", created_by=admin)
    token, _secret = create_api_token(actor=admin, name="Reporting")
    service = ServiceFactory(organisation=target)
    location = LocationFactory(organisation=target)
    directory_link = ServiceAtLocation.objects.create(service=service, location=location)
    directory_term = TaxonomyTerm.objects.first()
    funding = FundingSourceFactory(organisation=target)
    import_job = Job.objects.create(name="hsds_import", label="Import services", created_by=admin)
    # A neighbour's feed with one record waiting for review and a possible duplicate (its address is never read:
    # "Read it now" queues the read after the request's transaction, which the matrix never commits)
    feed = Feed.objects.create(name="Neighbours", url="https://neighbour.example/api", publisher_name="Council")
    feed_record = FeedRecord.objects.create(
        feed=feed, source_id="n-1", name="Neighbour's service", service=service, state=FeedRecordState.HELD
    )
    duplicate = PossibleDuplicate.objects.create(record=feed_record, other=ServiceFactory(organisation=target))
    feed_job = Job.objects.create(name="directory_feed_read", label="Read Neighbours", created_by=admin)
    contact_preview = Job.objects.create(
        name="contact_import_preview",
        label="Preview contact import",
        created_by=admin,
        status=JobStatus.SUCCEEDED,
        result={"path": "", "errors": ["Row 2, email: the e-mail address is missing."], "error_total": 1},
    )
    area = Area.objects.create(area_type="ward", code="E05999001", name="Riverside Ward", vintage=2022)
    Postcode.objects.create(postcode="ZX1 1AA", district="ZX1", latitude=51.5, longitude=-0.1, ward=area)
    # Network (meetings): a meeting of a network run by the member persona's organisation, with circulated minutes
    import datetime

    from django.utils import timezone

    from waymark.network.factories_meetings import ActionFactory, NetworkFactory
    from waymark.network.services import minutes as network_minutes
    from waymark.network.services.meetings import add_agenda_item, create_series

    member_organisation = users[Role.MEMBER].role_grants.get().organisation
    meetings_network = NetworkFactory(organisation=member_organisation, slug="meetings-network")
    series = create_series(
        actor=admin,
        network=meetings_network,
        data={
            "title": "Network meeting",
            "recurrence": "weekly",
            "interval": 6,
            "first_date": timezone.localdate(),
            "start_time": datetime.time(14, 0),
            "duration_minutes": 120,
            "venue": "Community Hub",
        },
    )
    meeting = series.meetings.order_by("start").first()
    agenda_item = add_agenda_item(actor=admin, meeting=meeting, data={"title": "Welcome"})
    meeting_minutes = network_minutes.save_minutes(actor=admin, meeting=meeting, text="Notes")
    network_minutes.circulate_minutes(actor=admin, minutes=meeting_minutes)
    meeting_action = ActionFactory(meeting=meeting)
    minuted_meeting = series.meetings.order_by("start")[1]
    published_minutes = network_minutes.save_minutes(actor=admin, meeting=minuted_meeting, text="Agreed notes")
    network_minutes.circulate_minutes(actor=admin, minutes=published_minutes)
    network_minutes.publish_minutes(actor=admin, minutes=published_minutes)
    # Network (people): a network run by the member persona's organisation, with a member, a list and a draft
    from waymark.network import mailing
    from waymark.network.factories_meetings import MembershipFactory
    from waymark.network.factories_meetings import NetworkFactory as PeopleNetworkFactory
    from waymark.network.factories_people import BulletinFactory, DistributionListFactory
    from waymark.network.models import TaskGroup

    people_network = PeopleNetworkFactory(organisation=users[Role.MEMBER].role_grants.get().organisation)
    people_membership = MembershipFactory(network=people_network)
    people_contact = people_membership.contact
    people_list = DistributionListFactory(network=people_network)
    people_bulletin = BulletinFactory(distribution_list=people_list)
    people_task_group = TaskGroup.objects.create(network=people_network, name="Housing task group")
    # Monitoring: a provider with a year of figures against a borough's population, its import batch, a
    # data-sharing agreement and a published snapshot
    from waymark.core.choices import OrganisationType as MonitoringOrgType
    from waymark.monitoring.factories import (
        ImportBatchFactory,
        LocalAuthorityFactory,
        PeopleCountFactory,
        PopulationFigureFactory,
        ProviderFactory,
    )
    from waymark.monitoring.services import access as monitoring_access
    from waymark.monitoring.services import publishing as monitoring_publishing

    monitoring_area = LocalAuthorityFactory()
    PopulationFigureFactory(area=monitoring_area)
    monitoring_provider = ProviderFactory()
    monitoring_batch = ImportBatchFactory(provider=monitoring_provider)
    PeopleCountFactory(batch=monitoring_batch, area=monitoring_area, period_start=datetime.date(2024, 4, 1))
    monitoring_grant = monitoring_access.grant_provider_access(
        actor=admin,
        provider=monitoring_provider,
        commissioner=OrganisationFactory(org_type=MonitoringOrgType.ICB),
        agreement_reference="Data-sharing agreement",
        agreement_date=datetime.date(2024, 1, 1),
    )
    monitoring_snapshot = monitoring_publishing.publish_snapshot(
        actor=None,
        provider=monitoring_provider,
        area=monitoring_area,
        year=2024,
        title="Published figures",
        methods_note="How they were made.",
        check_access=False,
    )
    # Network (events and surveys): a published event open for registration, with its parts and one
    # registration; an open survey with a question and published results
    from waymark.network import registrations, survey_results
    from waymark.network.factories_events import (
        EventFactory,
        QuestionFactory,
        StallFactory,
        SurveyFactory,
        TicketTypeFactory,
    )
    from waymark.network.models import SurveyInvitation
    from waymark.network.services import events as events_services

    event = EventFactory()
    event_ticket = TicketTypeFactory(event=event)
    event_stall = StallFactory(event=event)
    event_registration = events_services.register(
        event=event, ticket_type=event_ticket, name="Registered person", email="registered@example.org"
    )
    survey = SurveyFactory(status="open", results_public=True)
    survey_question = QuestionFactory(survey=survey, kind="text")
    survey_invitation = SurveyInvitation.objects.create(survey=survey, email="asked@example.org")
    # Voice (escalation): an answered escalation to the responder persona's organisation with its letter, an
    # awaiting one with a signed answer link, and a closure day
    from django.core.files.uploadedfile import SimpleUploadedFile

    from waymark.voice.factories_escalations import EscalationFactory as VoiceEscalationFactory
    from waymark.voice.models import ClosureDay as VoiceClosureDay
    from waymark.voice.models import ReceivedBy as VoiceReceivedBy
    from waymark.voice.services import escalations as voice_escalations

    voice_responder_organisation = users[Role.RESPONDER].role_grants.get().organisation
    voice_answered = VoiceEscalationFactory(responder=voice_responder_organisation)
    voice_escalations.record_response(
        actor=admin,
        escalation=voice_answered,
        data={"text": "Our answer.", "outcome": "accepted"},
        received_by=VoiceReceivedBy.LETTER,
        document=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
    )
    voice_awaiting = VoiceEscalationFactory(responder=voice_responder_organisation)
    voice_link, voice_link_url = voice_escalations.issue_answer_link(
        actor=admin, escalation=voice_awaiting, send_to="contact@example.org"
    )
    voice_closure = VoiceClosureDay.objects.create(date=datetime.date(2026, 12, 24), reason="Office closed")
    # Voice (you said, we did): an issue about the service, answered by the target organisation, published
    from waymark.voice.factories import FeedbackItemFactory as VoicePublicItemFactory
    from waymark.voice.factories_escalations import ResponseFactory as VoicePublicResponseFactory

    voice_public_item = VoicePublicItemFactory()
    voice_public_item.services.add(service)
    voice_public_response = VoicePublicResponseFactory(escalation__responder=target, published=True)
    voice_public_response.escalation.issue.items.add(voice_public_item)
    voice_public_theme = Theme.objects.filter(parent__isnull=True).first()
    # Voice (intake): an item sent through the public form
    voice_intake_item = VoicePublicItemFactory()
    kwargs = {
        "core:page": {"slug": "accessibility"},
        "core:page_edit": {"slug": "accessibility"},
        "core:organisation_detail": {"uuid": target.uuid},
        "core:organisation_edit": {"uuid": target.uuid},
        "core:organisation_history": {"uuid": target.uuid},
        "core:job_detail": {"uuid": job.uuid},
        "core:job_run_again": {"uuid": job.uuid},
        "network:contact_import_job": {"uuid": contact_preview.uuid},
        "network:contact_import_confirm": {"uuid": contact_preview.uuid},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "api_tokens:revoke": {"pk": token.pk},
        "api:organisation-detail": {"uuid": target.uuid},
        "api:area-detail": {"pk": area.pk},
        "api:postcode-detail": {"postcode": "ZX1 1AA"},
        "api:language-detail": {"code": "syl"},
        "api:community-detail": {"pk": Community.objects.first().pk},  # type: ignore[union-attr]
        "api:theme-detail": {"slug": Theme.objects.first().slug},  # type: ignore[union-attr]
        "api:ethnic-code-set-detail": {"slug": "ons-2021"},
        "directory:service_detail": {"uuid": service.uuid},
        "directory:service_print": {"uuid": service.uuid},
        "directory:shortlist_add": {"uuid": service.uuid},
        "directory:shortlist_remove": {"uuid": service.uuid},
        "directory:service_staff_detail": {"uuid": service.uuid},
        "directory:service_edit": {"uuid": service.uuid},
        "directory:service_history": {"uuid": service.uuid},
        "directory:service_verify": {"uuid": service.uuid},
        "directory:location_edit": {"uuid": location.uuid},
        "directory:funding_list": {"uuid": target.uuid},
        "directory:funding_create": {"uuid": target.uuid},
        "directory:funding_edit": {"uuid": funding.uuid},
        "directory:funding_delete": {"uuid": funding.uuid},
        "directory:hsds_import_job": {"uuid": import_job.uuid},
        "directory:feed_detail": {"uuid": feed.uuid},
        "directory:feed_edit": {"uuid": feed.uuid},
        "directory:feed_read": {"uuid": feed.uuid},
        "directory:feed_read_job": {"uuid": feed.uuid, "job": feed_job.uuid},
        "directory:feed_records": {"uuid": feed.uuid},
        "directory:feed_record": {"uuid": feed.uuid, "pk": feed_record.pk},
        "directory:feed_record_decide": {"uuid": feed.uuid, "pk": feed_record.pk},
        "directory:duplicate_decide": {"uuid": feed.uuid, "pk": duplicate.pk},
        "api:directory-service-detail": {"id": str(service.uuid)},
        "api:directory-service-detail-slash": {"id": str(service.uuid)},
        "api:directory-taxonomy-detail": {"id": str(directory_term.taxonomy.uuid)},
        "api:directory-taxonomy-detail-slash": {"id": str(directory_term.taxonomy.uuid)},
        "api:directory-taxonomy-term-detail": {"id": str(directory_term.uuid)},
        "api:directory-taxonomy-term-detail-slash": {"id": str(directory_term.uuid)},
        "api:directory-service-at-location-detail": {"id": str(directory_link.uuid)},
        "api:directory-service-at-location-detail-slash": {"id": str(directory_link.uuid)},
        "api:directory-organization-detail": {"id": str(target.uuid)},
        "api:directory-organization-detail-slash": {"id": str(target.uuid)},
        # Monitoring
        "monitoring:provider_dashboard": {"uuid": monitoring_provider.uuid},
        "monitoring:data_quality": {"uuid": monitoring_provider.uuid},
        "monitoring:area_overview": {"pk": monitoring_area.pk},
        "monitoring:import_detail": {"uuid": monitoring_batch.uuid},
        "monitoring:access_end": {"uuid": monitoring_grant.uuid},
        "monitoring:snapshot_detail": {"uuid": monitoring_snapshot.uuid},
        "api:monitoring-provider-dashboard": {"uuid": monitoring_provider.uuid},
        "api:monitoring-provider-data-quality": {"uuid": monitoring_provider.uuid},
        "api:monitoring-snapshot-detail": {"uuid": monitoring_snapshot.uuid},
        "api:monitoring-import-detail": {"uuid": monitoring_batch.uuid},
        # Network
        # Voice
        # Voice (you said, we did; API)
        "voice:you_said_we_did_theme": {"slug": voice_public_theme.slug},
        "voice:you_said_we_did_organisation": {"uuid": target.uuid},
        "voice:you_said_we_did_service": {"uuid": service.uuid},
        "voice:you_said_we_did_issue": {"uuid": voice_public_response.escalation.issue.uuid},
        "api:voice-item-detail": {"uuid": voice_public_item.uuid},
        "api:voice-issue-detail": {"uuid": voice_public_response.escalation.issue.uuid},
        # Voice (escalation)
        "voice:triage_safeguarding": {"uuid": voice_answered.uuid},
        "voice:issue_detail": {"uuid": voice_answered.issue.uuid},
        "voice:issue_edit": {"uuid": voice_answered.issue.uuid},
        "voice:issue_history": {"uuid": voice_answered.issue.uuid},
        "voice:escalation_create": {"uuid": voice_answered.issue.uuid},
        "voice:escalation_detail": {"uuid": voice_answered.uuid},
        "voice:answer_link_send": {"uuid": voice_awaiting.uuid},
        "voice:answer_link_revoke": {"uuid": voice_link.uuid},
        "voice:response_record": {"uuid": voice_awaiting.uuid},
        "voice:response_publish": {"uuid": voice_answered.uuid},
        "voice:escalation_close": {"uuid": voice_answered.uuid},
        "voice:response_document": {"uuid": voice_answered.uuid},
        "voice:closure_day_delete": {"pk": voice_closure.pk},
        "voice:responder_escalation": {"uuid": voice_answered.uuid},
        "voice:answer_link": {"uuid": voice_awaiting.uuid, "token": voice_link_url.rstrip("/").rsplit("/", 1)[-1]},
        # Voice (intake)
        "voice:feedback": {"lang": "ur"},
        "voice:reference_lookup": {"lang": "pl"},
        "voice:reference": {"lang": "en-gb", "reference": voice_intake_item.reference},
        "voice:item_detail": {"uuid": voice_intake_item.uuid},
        "voice:item_language": {"uuid": voice_intake_item.uuid},
        "voice:item_request_interpreting": {"uuid": voice_intake_item.uuid},
        "voice:item_quote": {"uuid": voice_intake_item.uuid},
        "network:event_register": {"uuid": event.uuid},
        "network:event_upcoming": {},
        "network:event_ics": {"uuid": event.uuid},
        "network:event_registration_status": {"token": registrations.registration_token(event_registration)},
        "network:event_detail": {"uuid": event.uuid},
        "network:event_edit": {"uuid": event.uuid},
        "network:event_history": {"uuid": event.uuid},
        "network:event_part_create": {"uuid": event.uuid, "kind": "ticket"},
        "network:event_part_edit": {"uuid": event.uuid, "kind": "stall", "part_uuid": event_stall.uuid},
        "network:event_registration_list": {"uuid": event.uuid},
        "network:event_check_in": {"uuid": event.uuid},
        "network:event_attendance": {"uuid": event.uuid},
        "network:event_sign_in_sheet": {"uuid": event.uuid},
        "network:event_badges": {"uuid": event.uuid},
        "network:event_registration_cancel": {"uuid": event_registration.uuid},
        "network:event_check_in_person": {"uuid": event_registration.uuid},
        "network:survey_detail": {"uuid": survey.uuid},
        "network:survey_edit": {"uuid": survey.uuid},
        "network:survey_question_create": {"uuid": survey.uuid},
        "network:survey_question_edit": {"uuid": survey.uuid, "pk": survey_question.pk},
        "network:survey_question_delete": {"uuid": survey.uuid, "pk": survey_question.pk},
        "network:survey_send": {"uuid": survey.uuid},
        "network:survey_results": {"uuid": survey.uuid},
        "network:survey_respond": {"token": survey_results.invitation_token(survey_invitation)},
        "network:survey_public_results": {"uuid": survey.uuid},
        "network:network_detail": {"slug": people_network.slug},
        "network:network_edit": {"slug": people_network.slug},
        "network:network_history": {"slug": people_network.slug},
        "network:member_list": {"slug": people_network.slug},
        "network:membership_create": {"slug": people_network.slug},
        "network:membership_edit": {"pk": people_membership.pk},
        "network:terms_list": {"slug": people_network.slug},
        "network:terms_create": {"slug": people_network.slug},
        "network:task_group_create": {"slug": people_network.slug},
        "network:task_group_edit": {"uuid": people_task_group.uuid},
        "network:list_create": {"slug": people_network.slug},
        "network:list_detail": {"uuid": people_list.uuid},
        "network:list_edit": {"uuid": people_list.uuid},
        "network:contact_detail": {"uuid": people_contact.uuid},
        "network:contact_edit": {"uuid": people_contact.uuid},
        "network:contact_history": {"uuid": people_contact.uuid},
        "network:contact_links_withdraw": {"uuid": people_contact.uuid},
        "network:bulletin_list": {"slug": people_network.slug},
        "network:bulletin_create": {"slug": people_network.slug},
        "network:bulletin_detail": {"uuid": people_bulletin.uuid},
        "network:bulletin_edit": {"uuid": people_bulletin.uuid},
        "network:bulletin_send": {"uuid": people_bulletin.uuid},
        "network:bulletin_send_test": {"uuid": people_bulletin.uuid},
        "network:unsubscribe": {"token": mailing.unsubscribe_token(people_contact, people_list)},
        "network:manage_subscriptions": {"token": mailing.manage_token(people_contact)},
        # Network (meetings)
        "network:network_meetings": {"slug": meetings_network.slug},
        "network:network_meetings_feed": {"slug": meetings_network.slug},
        "network:network_meetings_feed_replace": {"slug": meetings_network.slug},
        "network:network_actions": {"slug": meetings_network.slug},
        "network:meeting_create": {"slug": meetings_network.slug},
        "network:series_create": {"slug": meetings_network.slug},
        "network:series_detail": {"uuid": series.uuid},
        "network:series_edit": {"uuid": series.uuid},
        "network:series_book": {"uuid": series.uuid},
        "network:meeting_detail": {"uuid": meeting.uuid},
        "network:meeting_ics": {"uuid": meeting.uuid},
        "network:meeting_edit": {"uuid": meeting.uuid},
        "network:meeting_cancel": {"uuid": meeting.uuid},
        "network:agenda_item_create": {"uuid": meeting.uuid},
        "network:agenda_item_edit": {"uuid": meeting.uuid, "pk": agenda_item.pk},
        "network:agenda_item_remove": {"uuid": meeting.uuid, "pk": agenda_item.pk},
        "network:agenda_item_move": {"uuid": meeting.uuid, "pk": agenda_item.pk},
        "network:agenda_send": {"uuid": meeting.uuid},
        "network:attendance": {"uuid": meeting.uuid},
        "network:minutes_detail": {"uuid": meeting.uuid},
        "network:minutes_edit": {"uuid": meeting.uuid},
        "network:minutes_history": {"uuid": meeting.uuid},
        "network:minutes_step": {"uuid": meeting.uuid, "step": "publish"},
        "network:action_create": {"uuid": meeting.uuid},
        "network:action_edit": {"action_uuid": meeting_action.uuid},
        # Network API
        "api:network-detail": {"slug": people_network.slug},
        "api:network-membership-detail": {"pk": people_membership.pk},
        "api:network-contact-detail": {"uuid": people_contact.uuid},
        "api:network-meeting-detail": {"uuid": meeting.uuid},
        "api:network-minutes-detail": {"meeting_uuid": minuted_meeting.uuid},
        "api:network-action-detail": {"uuid": meeting_action.uuid},
        "api:network-event-detail": {"uuid": event.uuid},
        "api:network-registration-detail": {"uuid": event_registration.uuid},
        "api:network-survey-detail": {"uuid": survey.uuid},
        "api:network-survey-results": {"uuid": survey.uuid},
        "api:network-survey-published-results": {"uuid": survey.uuid},
    }
    kwargs.update(plans_world(users))
    kwargs.update(partnership_world(users))
    kwargs.update(grants_world(users))
    return {"users": users, "kwargs": kwargs}


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_gets_expected_status_for_every_url(client, world, persona):
    if persona != "anonymous":
        verified_login(client, world["users"][persona])
    wrong = []
    for name, statuses in EXPECTED.items():
        expected = statuses[PERSONAS.index(persona)]
        response = client.get(reverse(name, kwargs=world["kwargs"].get(name)))
        if response.status_code != expected:
            wrong.append(f"{name}: expected {expected}, got {response.status_code}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


WRITE_SQL = ("INSERT", "UPDATE", "DELETE")


def _attempt(client: Client, method: str, url: str, csrf_token: str) -> tuple[int, str, list[str]]:
    """One write attempt with an empty body, in a savepoint rolled back afterwards so that an attempt which
    succeeds (a funding source deleted, a bulletin sent) leaves the world as the next attempt expects.
    Returns the status, where it redirects to, and the SQL statements that wrote anything other than the
    session (a refused attempt must write nothing: stronger than counting the target model's rows)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = client.generic(
            method, url, "", content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=csrf_token
        )
        transaction.set_rollback(True)
    client.cookies = cookies  # a sign-out or a new session must not carry over to the next attempt
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITE_SQL) and "django_session" not in query["sql"]
    ]
    return response.status_code, response.get("Location", ""), writes


def _is_refusal(status: int, location: str) -> bool:
    sign_in_pages = (reverse("accounts:login"), reverse("admin:login"))
    return status >= 400 or (300 <= status < 400 and location.startswith(sign_in_pages))


def _signed_in_client(world: dict, persona: str) -> tuple[Client, str]:
    """A client that enforces CSRF checks as a browser's requests meet them, and the token its pages carry.

    Django's test client skips the CSRF check unless asked. Here the check is on and every attempt carries
    the token the site handed out, so each answer comes from the view's own rules, and a view wrongly
    exempt from the check or a token the site would not accept shows up as a difference."""
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        verified_login(client, world["users"][persona])
    client.get(reverse("accounts:password_reset"))  # a form page, which sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_gets_expected_status_for_every_write(db, world, persona, caplog):
    client, csrf_token = _signed_in_client(world, persona)
    attempts = [(name, "POST", statuses) for name, statuses in EXPECTED_POST.items()]
    for name in (name for name in EXPECTED if name.startswith("api:")):
        for method in ("PUT", "PATCH", "DELETE"):
            attempts.append((name, method, EXPECTED_API_WRITE.get((name, method), (405,) * len(PERSONAS))))
    wrong = []
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        for name, method, statuses in attempts:
            expected = statuses[PERSONAS.index(persona)]
            url = reverse(name, kwargs=world["kwargs"].get(name))
            status, location, writes = _attempt(client, method, url, csrf_token)
            if status != expected:
                wrong.append(f"{method} {name}: expected {expected}, got {status}")
            if _is_refusal(status, location) and writes:
                wrong.append(f"{method} {name}: refused with {status} yet wrote: {writes}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
    assert not [record for record in caplog.records if record.name == "django.security.csrf"]


def test_a_write_without_the_csrf_token_is_refused(db, world, caplog):
    """The matrix's attempts carry the token; without it the same deletion by staff, who may delete, is
    refused by the CSRF check and the funding source stays."""
    from waymark.directory.models import FundingSource

    client, _csrf_token = _signed_in_client(world, "staff")
    url = reverse("directory:funding_delete", kwargs=world["kwargs"]["directory:funding_delete"])
    before = FundingSource.objects.count()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(url)
    assert response.status_code == 403
    assert FundingSource.objects.count() == before
    assert [record for record in caplog.records if record.name == "django.security.csrf"]
