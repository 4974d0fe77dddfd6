"""Every page of the shared ground, opened in the browser by the people who use it, checked with axe-core."""

import pytest

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Job
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_opens_every_page_of_the_shared_ground(browse):
    admin = with_authenticator(make_persona(Role.ADMIN))
    organisation = OrganisationFactory(name="Riverside Carers Network", description="Support for carers.")
    job = Job.objects.create(name="seed_demo", label="Load the demo borough", created_by=admin)
    sign_in(browse, admin)
    for path in (
        "/",
        "/organisations/",
        "/organisations/new/",
        organisation.get_absolute_url(),
        f"{organisation.get_absolute_url()}edit/",
        f"{organisation.get_absolute_url()}history/",
        "/jobs/",
        job.get_absolute_url(),
        "/personal-data/",
        f"/personal-data/?email={admin.email}",
        "/account/",
        "/account/password/",
        "/account/api-tokens/",
        "/pages/accessibility/",
        "/pages/privacy/edit/",
        "/pages/cookies/",
        "/no-such-page/",
    ):
        browse.goto(path)
    assert browse.page.get_by_role("heading", name="Page not found").is_visible()


def test_staff_adds_an_organisation_and_sees_its_history(browse):
    staff = with_authenticator(make_persona(Role.STAFF))
    sign_in(browse, staff)
    page = browse.page
    browse.goto("/organisations/new/")
    page.get_by_role("button", name="Save").click()
    browse.check()
    # The error summary names each missing field and links to it.
    summary = page.locator(".nhsuk-error-summary")
    assert summary.get_by_role("link", name="Enter the name of the organisation").is_visible()
    assert summary.get_by_role("link", name="Select the type of organisation").is_visible()

    page.get_by_label("Name", exact=True).fill("Riverside Somali Elders Circle")
    page.get_by_label("Type of organisation").select_option("community_group")
    page.get_by_label("Postcode").fill("zx11aa")
    page.get_by_role("button", name="Save").click()
    browse.check()
    assert page.get_by_role("heading", name="Riverside Somali Elders Circle").is_visible()
    assert page.get_by_text("ZX1 1AA").is_visible()

    page.get_by_role("link", name="See every change to this record").click()
    browse.check()
    assert page.get_by_text(staff.full_name).first.is_visible()


def test_visitor_pages_and_right_to_left_layout(browse, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("ur", "Urdu")]
    browse.goto("/pages/privacy/")
    assert browse.page.get_by_role("heading", level=1).inner_text() == "Privacy notice"
    browse.page.context.add_cookies([{"name": "django_language", "value": "ur", "url": browse.base_url}])
    browse.goto("/")
    assert browse.page.locator("html").get_attribute("dir") == "rtl"
    browse.goto("/api/v1/docs/")
    assert browse.page.get_by_role("heading", name="Authentication").is_visible()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.RESPONDER, Role.ANALYST])
def test_each_role_sees_its_own_navigation_and_pages(browse, role):
    user = make_persona(role)
    if role != Role.MEMBER:
        with_authenticator(user)
    sign_in(browse, user)
    browse.goto("/")
    # The header has one entry per app's menu, never more than seven; the home page lists every page.
    navigation = browse.page.get_by_role("navigation", name="Menu")
    menus = [link.text_content().strip() for link in navigation.get_by_role("link", include_hidden=True).all()]
    everyone = ["Directory", "Monitoring", "Voice", "Plans and partnership", "Grants", "Records and tools"]
    assert menus == (everyone if role == Role.RESPONDER else ["Directory", "Network", *everyone[1:]])
    labels = [link.text_content().strip() for link in browse.page.locator("main ul.nhsuk-list a").all()]
    expected = {
        Role.MEMBER: [
            "Find a service",
            "Networks",
            "Published figures",
            "Give feedback",
            "You said, we did",
            "Published action plans",
            "Consultations",
            "Apply for a grant",
            "My assessments",
            "Grants open data",
            "Organisations",
            "API",
        ],
        Role.RESPONDER: [
            "Find a service",
            "Manage directory",
            "Fragility radar",
            "Ethnic monitoring",
            "Compare providers",
            "Published figures",
            "Give feedback",
            "You said, we did",
            "Escalations to answer",
            "Action plans",
            "EDS 2022 gradings",
            "Published action plans",
            "Board dashboard",
            "My actions",
            "Consultation calendar",
            "Consultations",
            "Partnerships",
            "Grants programmes",
            "Apply for a grant",
            "My assessments",
            "Grants open data",
            "Organisations",
            "API",
        ],
        Role.ANALYST: [
            "Find a service",
            "Manage directory",
            "Fragility radar",
            "Surveys",
            "Ethnic monitoring",
            "England's published figures",
            "Compare providers",
            "Published figures",
            "Give feedback",
            "You said, we did",
            "Intelligence reports",
            "Action plans",
            "EDS 2022 gradings",
            "Published action plans",
            "Board dashboard",
            "My actions",
            "Consultation calendar",
            "Consultations",
            "Partnerships",
            "Grants programmes",
            "Apply for a grant",
            "My assessments",
            "Grants open data",
            "Organisations",
            "API",
        ],
    }[role]
    assert labels == expected
    for path in ("/organisations/", "/jobs/", "/account/", "/account/api-tokens/"):
        browse.goto(path)
    # Someone else's corner of the site answers plainly that it is not for them.
    browse.goto("/personal-data/")
    assert browse.page.get_by_role("heading", level=1).inner_text() == "You do not have permission to see this page"
