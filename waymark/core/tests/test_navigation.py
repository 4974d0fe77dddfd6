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
        navigation.register_section("core", title="Again", order=1, entries=[], menu="Again")


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


MENUS = {
    None: ["Directory", "Monitoring", "Voice", "Plans and partnership", "Grants"],
    Role.MEMBER: [
        "Directory",
        "Network",
        "Monitoring",
        "Voice",
        "Plans and partnership",
        "Grants",
        "Records and tools",
    ],
    Role.STAFF: ["Directory", "Network", "Monitoring", "Voice", "Plans and partnership", "Grants", "Records and tools"],
    Role.RESPONDER: ["Directory", "Monitoring", "Voice", "Plans and partnership", "Grants", "Records and tools"],
    Role.ANALYST: [
        "Directory",
        "Network",
        "Monitoring",
        "Voice",
        "Plans and partnership",
        "Grants",
        "Records and tools",
    ],
    Role.ADMIN: ["Directory", "Network", "Monitoring", "Voice", "Plans and partnership", "Grants", "Records and tools"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(MENUS), ids=lambda role: str(role or "public"))
def test_each_role_sees_at_most_seven_menus_in_the_header(client, make_persona, verified_login, role):
    if role is not None:
        verified_login(client, make_persona(role))

    menu = client.get("/").context["nav_menu"]

    labels = [str(entry["label"]) for entry in menu]
    assert labels == MENUS[role], labels
    assert len(menu) <= 7


@pytest.mark.django_db
def test_a_page_marks_its_menu_and_lists_the_menus_pages_beneath(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.STAFF))

    response = client.get("/voice/triage/")

    current = [str(entry["label"]) for entry in response.context["nav_menu"] if entry["current"]]
    assert current == ["Voice"]
    subnav = response.context["nav_subnav"]
    assert [str(item["label"]) for item in subnav["items"] if item["current"]] == ["Feedback triage"]
    html = response.content.decode()
    assert 'aria-label="Pages in Voice"' in html and 'aria-current="page"' in html


@pytest.mark.django_db
def test_signed_in_a_menu_leads_to_its_first_working_page(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.STAFF))

    menu = {str(entry["label"]): entry["url"] for entry in client.get("/").context["nav_menu"]}

    assert menu["Voice"] == "/voice/triage/"
    assert menu["Directory"] == "/directory/manage/"
