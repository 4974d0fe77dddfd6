"""The network's visibility rules: who sees a comment on minutes is who sees the minutes."""

import pytest

from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.network.factories_meetings import ContactFactory, MeetingFactory, MembershipFactory, NetworkFactory
from waymark.network.models import MembershipRole, Minutes, MinutesComment, MinutesStatus

pytestmark = pytest.mark.django_db


def _comment(network, status: str) -> MinutesComment:
    minutes = Minutes.objects.create(meeting=MeetingFactory(network=network), text="Notes", status=status)
    return MinutesComment.objects.create(minutes=minutes, text="A comment.")


def test_comments_are_seen_by_whoever_sees_their_minutes():
    network = NetworkFactory()
    on_draft = _comment(network, MinutesStatus.DRAFT)
    on_circulated = _comment(network, MinutesStatus.CIRCULATED)
    on_published = _comment(network, MinutesStatus.PUBLISHED)
    elsewhere = _comment(NetworkFactory(), MinutesStatus.CIRCULATED)
    member = make_persona(Role.MEMBER, organisation=network.organisation)
    minute_taker = make_persona(Role.MEMBER, organisation=network.organisation)
    MembershipFactory(network=network, contact=ContactFactory(user=minute_taker), role=MembershipRole.MINUTE_TAKER)

    for user in (member, minute_taker, make_persona(Role.STAFF), make_persona(Role.ANALYST), None):
        minutes_seen = set(Minutes.objects.visible_to(user))
        comments_seen = set(MinutesComment.objects.visible_to(user))
        assert comments_seen == {comment for comment in MinutesComment.objects.all() if comment.minutes in minutes_seen}
    assert set(MinutesComment.objects.visible_to(member)) == {on_circulated, on_published}
    assert set(MinutesComment.objects.visible_to(minute_taker)) == {on_draft, on_circulated, on_published}
    assert elsewhere in MinutesComment.objects.visible_to(make_persona(Role.STAFF))
