"""Links in e-mails expire after their age and can be withdrawn for one person, and then say what to do."""

import pytest
from django.core import signing
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import links_issued_days_ago
from waymark.core.roles import Role
from waymark.network import mailing, membership, registrations
from waymark.network.factories_events import EventFactory, TicketTypeFactory
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.factories_people import DistributionListFactory
from waymark.network.services import events as services_events

pytestmark = pytest.mark.django_db

SITE_URL = "https://waymark.example"
ONE_CLICK = {"data": "List-Unsubscribe=One-Click", "content_type": "application/x-www-form-urlencoded"}


@pytest.fixture(autouse=True)
def _link_ages(settings):
    settings.SITE_URL = SITE_URL
    settings.SIGNED_LINK_MAX_AGE_DAYS = {
        **settings.SIGNED_LINK_MAX_AGE_DAYS,
        "unsubscribe": 365,
        "manage-subscriptions": 90,
        "event-registration": 400,
    }


@pytest.fixture
def everyone():
    network = NetworkFactory(name="Riverside Mental Health Network")
    distribution_list = DistributionListFactory(network=network, name="Everyone")
    for name in ("Asha", "Bola"):
        MembershipFactory(network=network, contact=ContactFactory(name=name, email=f"{name.lower()}@example.org"))
    return distribution_list


def _unsubscribe(client, token):
    return client.post(reverse("network:unsubscribe", args=[token]), **ONE_CLICK)


def test_one_click_unsubscribe_works_for_a_link_sent_within_its_age_and_not_after(client, everyone):
    asha, bola = (everyone.network.members.get(name=name) for name in ("Asha", "Bola"))
    with links_issued_days_ago(364):
        recent = mailing.unsubscribe_token(asha, everyone)
    with links_issued_days_ago(366):
        old = mailing.unsubscribe_token(bola, everyone)

    assert _unsubscribe(client, recent).status_code == 200
    assert membership.lists_left(asha).get() == everyone

    refused = _unsubscribe(client, old)
    assert refused.status_code == 410
    assert "This unsubscribe link has expired" in refused.text
    assert 'name="email"' in refused.text  # the form that sends a new link
    assert not membership.lists_left(bola).exists()


def test_an_unsubscribe_link_sent_before_links_were_dated_still_works(client, everyone):
    asha = everyone.network.members.get(name="Asha")
    undated = signing.dumps(
        {"c": str(asha.uuid), "l": str(everyone.uuid)}, salt=mailing.UNDATED_UNSUBSCRIBE_SALT, compress=True
    )
    assert _unsubscribe(client, undated).status_code == 200
    assert membership.lists_left(asha).get() == everyone


def test_withdrawing_one_contacts_email_links_leaves_anothers_working(client, everyone):
    asha, bola = (everyone.network.members.get(name=name) for name in ("Asha", "Bola"))
    asha_manage, bola_manage = mailing.manage_link(asha), mailing.manage_link(bola)
    verified_login(client, make_persona(Role.STAFF))

    response = client.post(reverse("network:contact_links_withdraw", args=[asha.uuid]), {"links": "email"}, follow=True)
    assert "The links in e-mails already sent to Asha no longer work" in response.text
    client.logout()

    refused = client.get(asha_manage.removeprefix(SITE_URL))
    assert refused.status_code == 410
    assert "This link to manage your e-mails has been replaced or withdrawn" in refused.text
    assert client.get(bola_manage.removeprefix(SITE_URL)).status_code == 200
    assert client.get(mailing.manage_link(asha).removeprefix(SITE_URL)).status_code == 200  # a new one works


def test_a_person_with_an_expired_manage_link_gets_a_new_one_by_email(
    client, everyone, mailoutbox, django_capture_on_commit_callbacks
):
    asha = everyone.network.members.get(name="Asha")
    with links_issued_days_ago(91):
        old = mailing.manage_link(asha)
    assert client.get(old.removeprefix(SITE_URL)).status_code == 410

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("network:request_manage_link"), {"email": "ASHA@example.org"})
    unknown = client.post(reverse("network:request_manage_link"), {"email": "nobody@example.org"})

    assert sent.status_code == unknown.status_code == 200
    assert "If ASHA@example.org is on our lists, we have sent a new link to it." in sent.text
    (message,) = mailoutbox
    assert message.to == ["asha@example.org"]
    new_link = next(word for word in message.body.split() if word.startswith(SITE_URL))
    assert client.get(new_link.removeprefix(SITE_URL)).status_code == 200


def test_an_old_or_withdrawn_registration_link_says_the_place_is_kept(client):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event)
    first = services_events.register(event=event, ticket_type=tickets, name="Asha", email="asha@example.org")
    second = services_events.register(event=event, ticket_type=tickets, name="Bola", email="bola@example.org")
    with links_issued_days_ago(401):
        old = registrations.registration_token(first)

    refused = client.get(reverse("network:event_registration_status", args=[old]))
    assert refused.status_code == 410
    assert "This registration link has expired" in refused.text
    assert "Your place is not affected" in refused.text
    current = registrations.registration_token(second)
    assert client.get(reverse("network:event_registration_status", args=[current])).status_code == 200
    assert client.get(reverse("network:event_registration_status", args=["nonsense"])).status_code == 404
