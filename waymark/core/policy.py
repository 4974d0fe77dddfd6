"""The one place that decides who may do what: the mechanism; the rules are each app's.

Pages, the API, the navigation and ``QuerySet.visible_to(user)`` all ask this module; nothing else checks
roles. Each app's ``permissions.register()``, called from its ``AppConfig.ready()``, tells it:

- which permissions the app has and the roles that hold each (``declare_permissions``);
- the object rules that refine a permission on one record (``object_rule``), asked by ``can`` when it is
  given an object (a responder changes only their own organisation, for example);
- the visibility rules that say which rows of a model a user sees (``visibility_rule``), used by
  ``restrict`` and so by ``visible_to``.

The grants a user holds come from the sources apps register (``register_grant_source``: accounts registers
its role grants in force, and counts a superuser as an administrator). A start-up check
(``core.checks``) refuses a model with ``visible_to`` but no visibility rule, a permission something names
but no app declares, and a permission two apps declare.
"""

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

from waymark.core.roles import SECOND_FACTOR_ROLES, SIGNED_IN

Grant = tuple[str, int | None]  # (role, organisation id or None)
GrantSource = Callable[[Any], list[Grant]]
ObjectRule = Callable[[Any, set[str], Model], bool]  # (user, roles held, object) -> allowed
VisibilityRule = Callable[[QuerySet, Any, set[str]], QuerySet]  # (queryset, user, roles held) -> rows seen


@dataclass
class Registry:
    """What the apps have registered. One per process; tests take a ``snapshot`` and ``restore`` it."""

    grant_sources: list[GrantSource] = field(default_factory=list)
    permissions: dict[str, frozenset[str]] = field(default_factory=dict)  # permission -> roles that hold it
    declared_by: dict[str, str] = field(default_factory=dict)  # permission -> app label
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (permission, first app, second app)
    object_rules: dict[str, list[ObjectRule]] = field(default_factory=dict)  # permission -> rules, in order
    visibility_rules: dict[str, VisibilityRule] = field(default_factory=dict)  # model label -> rule


_registry = Registry()


def snapshot() -> Registry:
    """A copy of the registry as it is, for a test to ``restore`` after a throwaway registration."""
    return copy.deepcopy(_registry)


def restore(saved: Registry) -> None:
    global _registry
    _registry = copy.deepcopy(saved)


# --- Registration ---------------------------------------------------------------------------------------


def register_grant_source(source: GrantSource) -> None:
    """Add ``source(user) -> [(role, organisation id), ...]``: the grants in force for a signed-in user."""
    if source not in _registry.grant_sources:
        _registry.grant_sources.append(source)


def declare_permissions(app_label: str, permissions: Mapping[str, Iterable[str]]) -> None:
    """The permissions an app owns and the roles (or ``SIGNED_IN``) that hold each.

    A permission another app already declared is recorded as a duplicate (the start-up check reports it)
    and keeps its first declaration.
    """
    for name, holders in permissions.items():
        first = _registry.declared_by.get(name)
        if first is not None and first != app_label:
            _registry.duplicates.append((name, first, app_label))
            continue
        _registry.permissions[name] = frozenset(holders)
        _registry.declared_by[name] = app_label


def object_rule(*permissions: str) -> Callable[[ObjectRule], ObjectRule]:
    """Register ``rule(user, held_roles, obj) -> bool``, asked by ``can`` for these permissions on an object.

    It is asked only once the user holds one of the permission's roles; every rule for the permission must
    allow. A permission without a rule is allowed on any object.
    """

    def decorator(rule: ObjectRule) -> ObjectRule:
        for permission in permissions:
            rules = _registry.object_rules.setdefault(permission, [])
            if rule not in rules:
                rules.append(rule)
        return rule

    return decorator


def visibility_rule(*models: str | type[Model]) -> Callable[[VisibilityRule], VisibilityRule]:
    """Register ``rule(queryset, user, held_roles) -> queryset`` for these models (labels or classes)."""

    def decorator(rule: VisibilityRule) -> VisibilityRule:
        for model in models:
            label = model if isinstance(model, str) else model._meta.label
            existing = _registry.visibility_rules.get(label)
            if existing is not None and existing is not rule:
                raise ValueError(f"{label} already has a visibility rule ({existing.__qualname__}).")
            _registry.visibility_rules[label] = rule
        return rule

    return decorator


# --- What is registered ---------------------------------------------------------------------------------


def declared_permissions() -> dict[str, str]:
    """Every declared permission and the app that declared it."""
    return dict(_registry.declared_by)


def is_declared(permission: str) -> bool:
    return permission in _registry.permissions


def duplicate_declarations() -> list[tuple[str, str, str]]:
    """(permission, first app, second app) for each permission a second app declared again."""
    return list(_registry.duplicates)


def has_visibility_rule(model: type[Model]) -> bool:
    return model._meta.label in _registry.visibility_rules


# --- Questions ------------------------------------------------------------------------------------------


def _grants(user: Any) -> list[Grant]:
    """(role, organisation id) pairs in force today, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_waymark_grants", None)
    if cached is None:
        cached = [grant for source in _registry.grant_sources for grant in source(user)]
        user._waymark_grants = cached
    return cached


def roles(user: Any) -> set[str]:
    """The roles a user holds today, plus ``signed_in`` for any authenticated user."""
    held = {role for role, _ in _grants(user)}
    if getattr(user, "is_authenticated", False):
        held.add(SIGNED_IN)
    return held


def has_role(user: Any, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def organisation_ids(user: Any, *wanted: str) -> set[int]:
    """Organisations for which the user holds any of the given roles."""
    return {org_id for role, org_id in _grants(user) if role in wanted and org_id is not None}


def needs_second_factor(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and (user.is_superuser or has_role(user, *SECOND_FACTOR_ROLES))


def can(user: Any, permission: str, obj: Model | None = None) -> bool:
    """Whether ``user`` holds ``permission``, on ``obj`` when one is given."""
    allowed = _registry.permissions[permission]
    held = roles(user)
    if not held & allowed:
        return False
    if obj is None:
        return True
    return all(rule(user, held, obj) for rule in _registry.object_rules.get(permission, ()))


def restrict(queryset: QuerySet, user: Any) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see."""
    label = queryset.model._meta.label
    rule = _registry.visibility_rules.get(label)
    if rule is None:
        raise LookupError(f"No visibility rule for {label}: add one to its app's permissions.py.")
    return rule(queryset, user, roles(user))
