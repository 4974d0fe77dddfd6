"""The navigation registry: each app's section once, its entries together, in the order of the sections."""

import pytest

from waymark.core import navigation


def test_each_apps_entries_come_together_in_the_order_of_its_section():
    sections = navigation.sections()
    assert [section.order for section in sections] == sorted(section.order for section in sections)
    assert navigation.entries() == [entry for section in sections for entry in section.entries]
    assert {section.app_label for section in sections} >= {"core", "directory", "monitoring", "network", "voice"}


def test_an_app_registers_its_section_once():
    with pytest.raises(ValueError, match="already registered"):
        navigation.register_section("core", order=1, entries=[])
