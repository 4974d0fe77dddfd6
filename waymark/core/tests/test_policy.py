"""The policy mechanism: roles, second factor, and no silent default for a model without a rule."""

import pytest
from django.contrib.auth.models import AnonymousUser

from waymark.core import policy
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db


def test_anonymous_has_no_permissions():
    anonymous = AnonymousUser()
    assert not policy.can(anonymous, "organisation.view")
    assert not policy.can(anonymous, "api_token.manage_own")
    assert list(Organisation.objects.visible_to(anonymous)) == []


def test_responder_changes_only_their_own_organisation(make_persona):
    own, other = OrganisationFactory(), OrganisationFactory()
    responder = make_persona(Role.RESPONDER, organisation=own)
    assert policy.can(responder, "organisation.change", own)
    assert not policy.can(responder, "organisation.change", other)
    assert not policy.can(responder, "organisation.add")


def test_inactive_organisations_hidden_from_members_but_not_staff(make_persona):
    OrganisationFactory(name="Closed group", active=False)
    member, staff = make_persona(Role.MEMBER), make_persona(Role.STAFF)
    assert "Closed group" not in Organisation.objects.visible_to(member).values_list("name", flat=True)
    assert "Closed group" in Organisation.objects.visible_to(staff).values_list("name", flat=True)


def test_second_factor_needed_for_staff_level_roles_only(user_factory, make_persona):
    assert policy.needs_second_factor(make_persona(Role.ANALYST))
    assert policy.needs_second_factor(make_persona(Role.ADMIN))
    assert not policy.needs_second_factor(make_persona(Role.MEMBER))
    assert not policy.needs_second_factor(user_factory())


def test_unknown_model_has_no_silent_default(make_persona):
    from waymark.core.models import EmailDelivery

    with pytest.raises(LookupError):
        policy.restrict(EmailDelivery.objects.all(), make_persona(Role.ADMIN))
