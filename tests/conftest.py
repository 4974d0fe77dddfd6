"""Fixtures for the tests that cross apps."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture
def borough(settings, tmp_path):
    """The small demo borough, loaded once for the test (about a minute), with an empty cache either side."""
    settings.VAR_DIR = tmp_path
    cache.clear()
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    yield
    cache.clear()
