"""A newcomer's first minutes: the home page, signing in as the demo admin with the second factor."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.accounts.services import ensure_demo_admin
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_visitor_signs_in_as_demo_admin_with_second_factor(browse):
    admin, password = ensure_demo_admin()
    page = browse.page

    browse.goto("/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("html").get_attribute("lang") == "en-gb"
    page.get_by_role("link", name="Sign in").first.click()
    browse.check()

    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Staff-level accounts are sent to pair an authenticator app before anything else.
    expect(page).to_have_url(re.compile("/account/two-factor/setup/"))
    browse.check()

    secret = page.locator(".waymark-secret").inner_text().replace(" ", "")
    page.get_by_label("Security code").fill(_code_for(secret))
    page.get_by_role("button", name="Confirm").click()
    # The code page and the codes page share one address: wait for the codes rather than read at once.
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator(".waymark-codes li").count() == 10
    browse.check()

    page.get_by_role("link", name="I have saved my codes").click()
    browse.check()
    # The administrators' pages are under one menu in the header, and listed on the home page.
    navigation = page.get_by_role("navigation", name="Menu")
    assert navigation.get_by_role("link", name="Records and tools").count() == 1
    pages = page.locator("main ul.nhsuk-list")
    for label in ("Organisations", "Background jobs", "Personal data"):
        assert pages.get_by_role("link", name=label, exact=True).count() == 1


def test_wrong_code_keeps_visitor_out(browse):
    admin, password = ensure_demo_admin()
    page = browse.page
    browse.goto("/account/login/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    browse.check()
    page.get_by_label("Security code").fill("12345x")
    page.get_by_role("button", name="Confirm").click()
    browse.check()
    assert page.get_by_text("That code did not match").first.is_visible()
    browse.goto("/organisations/")
    assert "/account/two-factor/setup/" in page.url


def test_admin_site_works_under_the_content_security_policy(browse):
    """Django's own admin: its scripts (filters, related-object links, the date widgets) obey the policy."""
    admin = with_authenticator(make_persona(Role.ADMIN))
    OrganisationFactory(name="Riverside Mind")
    page = browse.page
    sign_in(browse, admin)

    for path in ("/django-admin/", "/django-admin/core/organisation/"):
        page.goto(browse.base_url + path)
        browse.check_django_admin()
    page.get_by_role("link", name="Riverside Mind").click()
    browse.check_django_admin()
    assert page.get_by_label("Name:", exact=True).input_value() == "Riverside Mind"
    page.goto(browse.base_url + "/django-admin/core/organisation/add/")
    browse.check_django_admin()
