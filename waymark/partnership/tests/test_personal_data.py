"""Partnership working's personal data in the subject-access export, erasure and retention: consultation
contacts, partners' named leads and deputies, and a worker's activity entries (whose hours stay for the
team's balance)."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from waymark.core.personal_data import (
    PersonIdentity,
    enforce_retention,
    erase_personal_data,
    export_personal_data,
    find_personal_data,
)
from waymark.core.roles import Role
from waymark.partnership.factories import ActivityFactory, ConsultationFactory, PartnershipFactory
from waymark.partnership.models import PartnershipMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_persona):
    return make_persona(Role.ADMIN)


def _export(identity, admin):
    archive = zipfile.ZipFile(io.BytesIO(export_personal_data(identity, actor=admin)))
    return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_a_consultation_contact_is_found_by_phone_exported_and_erased(admin):
    consultation = ConsultationFactory(
        contact_name="Amina Example", contact_email="amina@example.org", contact_phone="020 7946 0000"
    )
    identity = PersonIdentity(phone="02079460000")
    assert list(find_personal_data(identity)["partnership.consultation_contact"]) == [consultation]
    files = _export(identity, admin)
    rows = json.loads(files["partnership.consultation_contact.json"])
    assert rows[0]["contact_name"] == "Amina Example"
    assert rows[0]["title"] == consultation.title

    erase_personal_data(identity, actor=admin)
    consultation.refresh_from_db()
    assert (consultation.contact_name, consultation.contact_email, consultation.contact_phone) == ("", "", "")
    assert consultation.title  # the consultation stays on the calendar
    assert not consultation.history.filter(contact_email="amina@example.org").exists()


def test_contacts_are_erased_two_years_after_the_consultation_ended():
    today = timezone.localdate()
    old = ConsultationFactory(
        starts_on=today - datetime.timedelta(days=800), ends_on=today - datetime.timedelta(days=740)
    )
    recent = ConsultationFactory(
        starts_on=today - datetime.timedelta(days=100), ends_on=today - datetime.timedelta(days=90)
    )
    counts = enforce_retention()
    assert counts["partnership.consultation_contact"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.contact_email == ""
    assert recent.contact_email == "engagement@example.org"


def test_a_named_lead_and_deputy_are_found_by_their_account_and_taken_off_the_list(make_persona, admin):
    person = make_persona(Role.STAFF, email="lead@example.org")
    partnership = PartnershipFactory(name="Borough race equality partnership")
    as_lead = PartnershipMember.objects.create(
        partnership=partnership, organisation=person.role_grants.get().organisation, lead=person
    )
    other_org = make_persona(Role.STAFF).role_grants.get().organisation
    as_deputy = PartnershipMember.objects.create(partnership=partnership, organisation=other_org, deputy=person)
    identity = PersonIdentity(email="lead@example.org")
    files = _export(identity, admin)
    assert "Borough race equality partnership" in files["partnership.member_lead.csv"]
    assert "partnership.member_deputy.json" in files

    erase_personal_data(identity, actor=admin)
    as_lead.refresh_from_db()
    as_deputy.refresh_from_db()
    assert as_lead.lead is None and as_deputy.deputy is None
    assert PartnershipMember.objects.filter(partnership=partnership).count() == 2


def test_a_workers_entries_are_exported_and_erased_keeping_the_hours(make_persona, admin):
    worker = make_persona(Role.STAFF)
    entry = ActivityFactory(
        worker=worker,
        hours=Decimal("1.50"),
        access_facilitator=True,
        venue="Community centre on the high street",
        outcome="Helped a family register with a GP.",
    )
    identity = PersonIdentity(user_id=worker.pk)
    rows = json.loads(_export(identity, admin)["partnership.activity.json"])
    assert rows[0]["venue"] == "Community centre on the high street"
    assert rows[0]["functions"] == "Change agent; Access facilitator"
    assert rows[0]["hours"] == "1.50"

    erase_personal_data(identity, actor=admin)
    entry.refresh_from_db()
    assert (entry.venue, entry.outcome) == ("", "")
    assert entry.hours == Decimal("1.50")
    assert entry.access_facilitator


def test_activity_details_are_erased_three_years_after_the_day(make_persona):
    worker = make_persona(Role.STAFF)
    old = ActivityFactory(worker=worker, date=timezone.localdate() - datetime.timedelta(days=3 * 365 + 5), venue="A")
    recent = ActivityFactory(worker=worker, venue="B")
    assert enforce_retention()["partnership.activity"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.venue, recent.venue) == ("", "B")
