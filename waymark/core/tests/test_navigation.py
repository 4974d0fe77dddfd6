"""The navigation registry: each app's section once, its entries together, in the order of the sections."""

import pytest

from waymark.core import navigation
from waymark.core.roles import Role


def test_each_apps_entries_come_together_in_the_order_of_its_section():
    sections = navigation.sections()
    assert [section.order for section in sections] == sorted(section.order for section in sections)
    assert navigation.entries() == [entry for section in sections for entry in section.entries]
    assert {section.app_label for section in sections} >= {"core", "directory", "monitoring", "network", "voice"}


def test_an_app_registers_its_section_once():
    with pytest.raises(ValueError, match="already registered"):
        navigation.register_section("core", title="Again", order=1, entries=[])


@pytest.mark.django_db
def test_the_home_page_groups_a_users_pages_under_each_apps_heading_and_leaves_out_empty_apps(client, make_persona):
    """A member sees the network under its heading, and no heading for the monitoring they cannot open."""
    member = make_persona(Role.MEMBER)
    client.force_login(member)

    sections = client.get("/").context["nav_sections"]

    titles = [str(section["title"]) for section in sections]
    assert "Professional networks" in titles
    assert "Ethnic monitoring" in titles  # its published figures are for everyone
    network = sections[titles.index("Professional networks")]
    assert [str(item["label"]) for item in network["items"]] == ["Networks"]
    monitoring = sections[titles.index("Ethnic monitoring")]
    assert [str(item["label"]) for item in monitoring["items"]] == ["Published figures"]
    assert all(section["items"] for section in sections)
