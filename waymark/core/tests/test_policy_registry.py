"""The policy registry and the start-up check that refuses an incomplete policy.

Each test registers something throwaway through the registry's own API and restores the registry after.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from waymark.core import checks, navigation, policy
from waymark.core import permissions as core_permissions
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Area, Organisation
from waymark.core.roles import Role


@pytest.fixture
def registry():
    """The registry as the apps left it, put back after the test (and the views' and navigation's notes)."""
    saved = policy.snapshot()
    named_by_views = core_permissions.permissions_named_by_views()
    sections = dict(navigation._sections)
    yield
    policy.restore(saved)
    core_permissions._named_by_views.clear()
    core_permissions._named_by_views.update(named_by_views)
    navigation._sections.clear()
    navigation._sections.update(sections)


def _without(permission: str | None = None, model_label: str | None = None) -> None:
    """Put in place a registry in which ``permission`` was never declared or ``model_label`` has no rule."""
    broken = policy.snapshot()
    if permission is not None:
        del broken.permissions[permission]
        del broken.declared_by[permission]
    if model_label is not None:
        del broken.visibility_rules[model_label]
    policy.restore(broken)


def _ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_every_app_registers_a_whole_policy():
    assert checks.check_policy() == []
    assert policy.duplicate_declarations() == []
    assert policy.declared_permissions()["meeting.view"] == "network"
    assert policy.is_declared("organisation.change")
    assert not policy.is_declared("organisation.destroy")


@pytest.mark.django_db  # Django's own model checks ask the database what it supports (JSON columns)
def test_a_model_with_visible_to_and_no_rule_fails_the_check(registry):
    _without(model_label="network.MinutesComment")
    errors = checks.check_policy()
    assert _ids(errors) == ["waymark.E001"]
    assert "network.MinutesComment" in errors[0].msg
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_a_permission_a_view_requires_must_be_declared(registry):
    core_permissions.require_permission("throwaway.open")(lambda request: None)
    errors = checks.check_policy()
    assert _ids(errors) == ["waymark.E002"]
    assert "'throwaway.open'" in errors[0].msg


def test_a_permission_an_api_view_declares_must_be_declared(registry):
    _without(permission="voice_item.view")
    errors = checks.check_policy()
    assert _ids(errors) == ["waymark.E002"]
    assert "FeedbackItemViewSet" in errors[0].hint


def test_a_permission_a_view_asks_for_must_be_declared(registry):
    # Named only in ``policy.can(request.user, "sitepage.change")``: how a template gets its ``can_edit``.
    _without(permission="sitepage.change")
    errors = checks.check_policy()
    assert _ids(errors) == ["waymark.E002"]
    assert "waymark/core/views.py" in errors[0].hint


def test_a_permission_a_navigation_entry_names_must_be_declared(registry):
    entry = navigation.Entry("Throwaway", "Nothing.", "core:home", "throwaway.navigate", "/throwaway/")
    navigation.register_section("throwaway", title="Throwaway", order=99, entries=[entry], menu="Throwaway")
    errors = checks.check_policy()
    assert _ids(errors) == ["waymark.E002"]
    assert "navigation entry core:home" in errors[0].hint


def test_a_permission_nothing_asks_for_fails_the_check(registry):
    policy.declare_permissions("throwaway", {"throwaway.unused": {Role.ADMIN}})
    errors = checks.check_policy()
    assert _ids(errors) == ["waymark.E004"]
    assert "'throwaway.unused' is declared by throwaway but nothing asks for it" in errors[0].msg


def test_two_apps_declaring_one_permission_fails_the_check(registry):
    policy.declare_permissions("throwaway", {"organisation.view": {Role.ADMIN}})
    assert _ids(checks.check_policy()) == ["waymark.E003"]
    assert policy.declared_permissions()["organisation.view"] == "core"  # the first declaration stands


def test_a_model_has_one_visibility_rule(registry):
    with pytest.raises(ValueError, match="already has a visibility rule"):
        policy.visibility_rule(Area)(lambda queryset, user, held: queryset.none())


@pytest.mark.django_db
def test_can_asks_every_object_rule_of_the_permission(registry, make_persona):
    own, other = OrganisationFactory(), OrganisationFactory()
    staff = make_persona(Role.STAFF)
    assert policy.can(staff, "organisation.change", other)
    policy.object_rule("organisation.change")(lambda user, held, obj: obj.pk == own.pk)
    assert policy.can(staff, "organisation.change", own)
    assert not policy.can(staff, "organisation.change", other)
    assert policy.can(staff, "organisation.change")  # without an object only the roles count


@pytest.mark.django_db
def test_restrict_uses_the_models_rule(registry, make_persona):
    organisation = OrganisationFactory()
    staff = make_persona(Role.STAFF)
    assert organisation in Organisation.objects.visible_to(staff)
    _without(model_label="core.Organisation")
    policy.visibility_rule(Organisation)(lambda queryset, user, held: queryset.none())
    assert not Organisation.objects.visible_to(staff).exists()
