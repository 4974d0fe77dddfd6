"""The start-up check that the policy is whole: every app's rules registered, every named permission declared.

``manage.py check`` (and so ``runserver``, ``migrate`` and the test command) fails when:

- a model whose default manager has ``visible_to`` has no visibility rule (``visible_to`` would raise);
- a permission is named by a view (``require_permission``, or ``policy.can``/``check_permission`` with the
  name written out: that is how templates get theirs, as ``can_…`` flags), by an API view's
  ``policy_permissions`` or by a navigation entry, and no app declares it;
- two apps declare the same permission.
"""

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

from waymark.core import navigation, policy
from waymark.core.permissions import permissions_named_by_views
from waymark.core.querysets import VisibleQuerySet

# Functions that take a permission name as their argument at this position.
PERMISSION_ARGUMENT = {"can": 1, "check_permission": 1, "require_permission": 0}


def _url_patterns(resolver: URLResolver) -> Iterator[URLPattern]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_patterns(pattern)
        else:
            yield pattern


def permissions_named_by_api() -> dict[str, set[str]]:
    """Permissions in the ``policy_permissions`` of every API view the URLs route to."""
    named: dict[str, set[str]] = {}
    for pattern in _url_patterns(get_resolver()):
        view_class: Any = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
        declared = getattr(view_class, "policy_permissions", None) or {}
        for permission in declared.values():
            if permission is not None:
                named.setdefault(permission, set()).add(f"{view_class.__module__}.{view_class.__qualname__}")
    return named


def permissions_named_by_navigation() -> dict[str, set[str]]:
    named: dict[str, set[str]] = {}
    for entry in navigation.entries():
        if entry.permission is not None:
            named.setdefault(entry.permission, set()).add(f"navigation entry {entry.url_name}")
    return named


def permissions_named_in_source() -> dict[str, set[str]]:
    """Permissions written out in ``policy.can``, ``check_permission`` and ``require_permission`` calls in the
    Waymark apps' code (tests and migrations aside)."""
    named: dict[str, set[str]] = {}
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("waymark."):
            continue
        for path in Path(app_config.path).rglob("*.py"):
            if {"tests", "migrations"} & set(path.parts):
                continue
            source = path.read_text(encoding="utf-8")
            if not any(f"{name}(" in source for name in PERMISSION_ARGUMENT):
                continue
            for node in ast.walk(ast.parse(source, filename=str(path))):
                if not isinstance(node, ast.Call):
                    continue
                function = node.func
                name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
                position = PERMISSION_ARGUMENT.get(name or "")
                if position is None or len(node.args) <= position:
                    continue
                argument = node.args[position]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    named.setdefault(argument.value, set()).add(f"{path}:{node.lineno}")
    return named


def named_permissions() -> dict[str, set[str]]:
    """Every permission something names, and where. Loading the URLs first runs every view's decorators."""
    get_resolver().url_patterns  # noqa: B018
    named: dict[str, set[str]] = {}
    for source in (
        permissions_named_by_views(),
        permissions_named_by_api(),
        permissions_named_by_navigation(),
        permissions_named_in_source(),
    ):
        for permission, where in source.items():
            named.setdefault(permission, set()).update(where)
    return named


@checks.register()
def check_policy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    models = (
        [model for app_config in app_configs for model in app_config.get_models()] if app_configs else apps.get_models()
    )
    for model in models:
        if isinstance(model._default_manager.all(), VisibleQuerySet) and not policy.has_visibility_rule(model):
            errors.append(
                checks.Error(
                    f"{model._meta.label} has visible_to but no visibility rule.",
                    hint="Register one in its app's permissions.py with policy.visibility_rule.",
                    obj=model,
                    id="waymark.E001",
                )
            )
    named = named_permissions()
    for permission, where in sorted(named.items()):
        if not policy.is_declared(permission):
            errors.append(
                checks.Error(
                    f"The permission {permission!r} is named but no app declares it.",
                    hint=f"Named by {', '.join(sorted(where))}. Declare it with policy.declare_permissions.",
                    id="waymark.E002",
                )
            )
    for permission, app_label in sorted(policy.declared_permissions().items()):
        if permission not in named:
            errors.append(
                checks.Error(
                    f"The permission {permission!r} is declared by {app_label} but nothing asks for it.",
                    hint="Remove it from the app's permissions.py, or name it where a page, API view or "
                    "navigation entry needs it: a rule nobody asks is dead code that reads as protection.",
                    id="waymark.E004",
                )
            )
    for permission, first, second in policy.duplicate_declarations():
        errors.append(
            checks.Error(
                f"The permission {permission!r} is declared by both {first} and {second}.",
                hint="Each permission belongs to one app.",
                id="waymark.E003",
            )
        )
    return errors
