"""Fixtures shared by the monitoring tests."""

from waymark.monitoring.tests.pages_fixtures import borough  # noqa: F401 (a fixture the page tests use)
