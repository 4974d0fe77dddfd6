"""Accounts' grant source: roles count only while their grants are in force."""

from datetime import timedelta

import pytest
from django.utils import timezone

from waymark.accounts.factories import RoleGrantFactory
from waymark.core import policy
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db


def test_grant_counts_only_between_its_dates():
    today = timezone.localdate()
    future = RoleGrantFactory(role=Role.STAFF, starts_on=today + timedelta(days=3)).user
    ended = RoleGrantFactory(role=Role.STAFF, starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    current = RoleGrantFactory(role=Role.STAFF, starts_on=today, ends_on=today).user
    assert not policy.has_role(future, Role.STAFF)
    assert not policy.has_role(ended.user, Role.STAFF)
    assert policy.has_role(current, Role.STAFF)
