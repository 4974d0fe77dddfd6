"""The people pages as each kind of user meets them: contacts, networks, lists, the import, bulletins
written and sent from the page, the public archive, and the personal-data registry."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import JobStatus
from waymark.core.models import EmailDelivery
from waymark.core.personal_data import PersonIdentity, erase_personal_data, export_personal_data
from waymark.core.roles import Role
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.factories_people import BulletinFactory, DistributionListFactory
from waymark.network.models import Bulletin, BulletinStatus, Contact, Membership, Network
from waymark.network.services import bulletins

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def test_staff_add_a_contact_and_a_refused_form_keeps_what_they_typed(client, staff):
    url = reverse("network:contact_create")
    typed = {"name": "Asha Patel", "email": "asha@example.org", "phone": "020 7946 0001", "consent_to_contact": "on"}

    refused = client.post(url, typed)

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Say on what lawful basis this person may be contacted." in page
    assert 'value="020 7946 0001"' in page and 'value="Asha Patel"' in page
    assert not Contact.objects.exists()

    saved = client.post(url, typed | {"lawful_basis": "consent", "consent_date": "2025-02-01"})
    contact = Contact.objects.get()
    assert saved.status_code == 302 and saved["Location"] == contact.get_absolute_url()
    assert contact.history.get().history_user == staff
    assert client.get(contact.get_absolute_url()).status_code == 200


def test_the_contact_list_pages_and_filters_without_a_query_per_row(client, staff, django_assert_max_num_queries):
    network = NetworkFactory()
    for _ in range(30):
        MembershipFactory(network=network)
    ContactFactory(name="Outsider")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:contact_list"), {"network": network.pk})

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 30
    assert "Outsider" not in response.content.decode()


def test_a_member_sees_their_own_network_but_no_contacts(client):
    network = NetworkFactory(name="Our network")
    other = NetworkFactory(name="Someone else's network")
    member = make_persona(Role.MEMBER, network.organisation)
    verified_login(client, member)

    listing = client.get(reverse("network:network_list")).content.decode()

    assert "Our network" in listing and "Someone else" not in listing
    assert client.get(network.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("network:contact_list")).status_code == 403
    assert client.get(reverse("network:member_list", args=[network.slug])).status_code == 403


def test_staff_send_a_bulletin_from_the_page_and_are_told_how_many_were_skipped(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    network = NetworkFactory()
    MembershipFactory(network=network, contact=ContactFactory(name="Consents"))
    MembershipFactory(network=network, contact=ContactFactory(consent_to_contact=False, lawful_basis=""))
    distribution_list = DistributionListFactory(network=network, name="Everyone")

    created = client.post(
        reverse("network:bulletin_create", args=[network.slug]),
        {"subject": "Spring news", "distribution_list": distribution_list.pk, "body": "Hello **all**"},
    )
    bulletin = Bulletin.objects.get()
    assert created["Location"] == bulletin.get_absolute_url()
    draft = client.get(bulletin.get_absolute_url()).content.decode()
    assert "it would go to 1 person and skip 1" in draft

    # Sending asks first, with the number of people; the answer carries that number.
    question = client.get(reverse("network:bulletin_send", args=[bulletin.uuid])).content.decode()
    assert "Send “Spring news” to 1 person?" in question
    # The request records who it goes to and queues the job; it renders no e-mail.
    with django_capture_on_commit_callbacks() as queued:
        posted = client.post(reverse("network:bulletin_send", args=[bulletin.uuid]), {"recipients": "1"})
    assert posted["Location"] == bulletin.get_absolute_url()
    assert not [template.name for template in posted.templates if template.name.startswith("email/")]
    assert not EmailDelivery.objects.exists() and not mailoutbox
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.sent_count, bulletin.skipped_count) == (BulletinStatus.SENT, 1, 1)
    assert bulletin.recipients.count() == 2 and bulletin.job.status == JobStatus.QUEUED
    page = client.get(bulletin.get_absolute_url()).content.decode()
    assert "Sending to 1 person. Skipped 1: 1 no consent to be contacted." in page
    assert "Waiting to start." in page and 'hx-trigger="every 2s"' in page

    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:  # the worker picks the job up
            callback()

    assert [message.to for message in mailoutbox] == [[Contact.objects.get(name="Consents").email]]
    done = client.get(bulletin.get_absolute_url()).content.decode()
    assert "Sent to 1 person; 1 skipped: 1 no consent to be contacted." in done
    assert "hx-trigger" not in done
    again = client.post(reverse("network:bulletin_send", args=[bulletin.uuid]), follow=True)
    assert "already sent" in again.content.decode()
    assert len(mailoutbox) == 1


def test_the_bulletin_page_follows_the_sending_job_and_stops_asking_when_it_has_finished(
    client, staff, django_capture_on_commit_callbacks
):
    bulletin = BulletinFactory(subject="Summer news")
    MembershipFactory(network=bulletin.network, contact=ContactFactory(name="Consents"))
    with django_capture_on_commit_callbacks() as queued:
        bulletins.send_bulletin(bulletin=bulletin, actor=staff)

    polled = client.get(bulletin.get_absolute_url(), headers={"HX-Request": "true"})
    assert polled.templates[0].name == "network/people/_bulletin_sending.html"
    assert 'hx-trigger="every 2s"' in polled.content.decode()
    assert "HX-Request" in polled["Vary"]

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    finished = client.get(bulletin.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished
    assert "Sent to 1 person; nobody skipped." in finished and "Consents" in finished


def test_the_public_archive_shows_only_sent_bulletins_put_in_it(client):
    sent = {"status": BulletinStatus.SENT, "sent_at": timezone.now()}
    public = BulletinFactory(subject="Open news", in_public_archive=True, **sent)
    network = public.network
    private = BulletinFactory(distribution_list=public.distribution_list, subject="Private news", **sent)
    draft = BulletinFactory(distribution_list=public.distribution_list, subject="Unsent news", in_public_archive=True)

    archive = client.get(reverse("network:bulletin_list", args=[network.slug])).content.decode()

    assert "Open news" in archive
    assert "Private news" not in archive
    assert "Unsent news" not in archive
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_contact_is_found_exported_and_erased_through_the_personal_data_registry():
    network = NetworkFactory(name="Forum")
    contact = ContactFactory(name="Asha Patel", email="asha@example.org", phone="020 7946 0001")
    MembershipFactory(network=network, contact=contact)
    admin = make_persona(Role.ADMIN)

    archive = zipfile.ZipFile(io.BytesIO(export_personal_data(PersonIdentity(phone="02079460001"), actor=admin)))
    exported = "".join(archive.read(name).decode() for name in archive.namelist())
    assert "Asha Patel" in exported and "Forum" in exported

    counts = erase_personal_data(PersonIdentity(email="ASHA@example.org"), actor=admin)

    assert counts["network_contacts"] == 1
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.phone) == ("", "", "")
    assert not contact.history.filter(name="Asha Patel").exists()
    assert Membership.objects.filter(contact=contact).exists()  # counts stay true


def test_staff_set_up_a_network_with_members_terms_and_a_housing_list(client, staff):
    from waymark.core.factories import OrganisationFactory
    from waymark.core.models import Sector

    housing = Sector.objects.get(slug="housing")
    host = OrganisationFactory(name="Riverside Mind")
    client.post(
        reverse("network:network_create"),
        {"name": "Riverside forum", "slug": "riverside-forum", "organisation": host.pk},
    )
    network = Network.objects.get(slug="riverside-forum")
    officer = ContactFactory(name="Housing Officer", sector=housing)
    ContactFactory(name="Nurse")

    added = client.post(
        reverse("network:membership_create", args=[network.slug]),
        {"contact": officer.pk, "role": "chair", "joined": "2025-01-06"},
    )
    assert added.status_code == 302
    client.post(
        reverse("network:terms_create", args=[network.slug]),
        {"text": "## Purpose\n\nMeet.", "approved_on": "2025-02-01"},
    )
    no_rule = client.post(reverse("network:list_create", args=[network.slug]), {"name": "Nobody"})
    assert "Choose who the list reaches" in no_rule.content.decode()
    client.post(
        reverse("network:list_create", args=[network.slug]), {"name": "Housing members", "rule_sectors": [housing.pk]}
    )

    housing_list = network.distribution_lists.get()
    detail = client.get(housing_list.get_absolute_url()).content.decode()
    assert "Housing Officer" in detail and "Nurse" not in detail
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Housing Officer" in page  # the chair is shown among the officers
    assert "version 1, approved 1 February 2025" in page
    membership = Membership.objects.get(network=network)
    client.post(
        reverse("network:membership_edit", args=[membership.pk]),
        {"role": "chair", "joined": "2025-01-06", "left": "2025-01-01"},
    )
    membership.refresh_from_db()
    assert membership.left is None  # leaving before joining is refused
