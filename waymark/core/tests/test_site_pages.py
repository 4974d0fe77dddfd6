"""Site pages (accessibility statement, privacy notice…): public reading, Markdown made safe, admin editing."""

import pytest
from django.urls import reverse

from waymark.core.models import SitePage
from waymark.core.roles import Role
from waymark.core.text import render_markdown

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("core:page", args=["test-page"])
EDIT_URL = reverse("core:page_edit", args=["test-page"])


@pytest.fixture
def site_page():
    return SitePage.objects.create(
        slug="test-page",
        title="Test statement",
        body="## How we test\n\n- Keyboard only\n- Screen readers\n\n<script>alert('x')</script>\n\n"
        "[Contact us](https://example.org/contact)",
    )


def test_anyone_can_read_a_page_rendered_from_markdown(client, site_page):
    response = client.get(PAGE_URL)

    assert response.status_code == 200
    assert "<h1" in response.text and "Test statement" in response.text
    assert "<h2>How we test</h2>" in response.text
    assert "<li>Keyboard only</li>" in response.text
    assert '<a href="https://example.org/contact" rel="noopener noreferrer">Contact us</a>' in response.text
    assert "alert(" not in response.text.split('id="maincontent"')[1]
    assert "Last updated" in response.text
    assert "Edit this page" not in response.text


def test_a_missing_page_is_not_found(client):
    assert client.get(reverse("core:page", args=["no-such-page"])).status_code == 404


def test_admin_edits_a_page(client, site_page, make_persona, verified_login):
    admin = make_persona(Role.ADMIN, full_name="Ade Admin")
    verified_login(client, admin)

    assert "Edit this page" in client.get(PAGE_URL).text
    form = client.get(EDIT_URL)
    assert form.status_code == 200
    assert "How we test" in form.text

    response = client.post(EDIT_URL, {"title": "Test statement", "body": "New **text**"}, follow=True)

    assert response.redirect_chain == [(PAGE_URL, 302)]
    assert "The page has been saved." in response.text
    assert "New <strong>text</strong>" in response.text
    site_page.refresh_from_db()
    assert site_page.history.first().history_user == admin


def test_admin_sees_mistakes_and_keeps_what_was_typed(client, site_page, make_persona, verified_login):
    verified_login(client, make_persona(Role.ADMIN))

    response = client.post(EDIT_URL, {"title": "", "body": "Draft I do not want to lose"})

    assert response.status_code == 200
    assert "Enter the page title" in response.text
    assert "Draft I do not want to lose" in response.text
    assert "<title>Error: Edit Test statement – Waymark</title>" in response.text
    site_page.refresh_from_db()
    assert site_page.title == "Test statement"


@pytest.mark.parametrize("role", [Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.MEMBER, None])
def test_only_admins_may_edit(client, site_page, role, make_persona, verified_login):
    verified_login(client, make_persona(role))

    assert client.get(EDIT_URL).status_code == 403
    assert client.post(EDIT_URL, {"title": "Hacked", "body": "Hacked"}).status_code == 403
    site_page.refresh_from_db()
    assert site_page.title == "Test statement"


def test_anonymous_visitors_are_sent_to_sign_in_to_edit(client, site_page):
    response = client.get(EDIT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("markdown", "unwanted"),
    [
        ("<script>alert(1)</script>", "alert"),
        ("<style>body{display:none}</style>", "display"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript"),
        ('<a href="https://example.org" onclick="steal()">x</a>', "onclick"),
        ('<iframe src="https://example.org"></iframe>', "iframe"),
    ],
)
def test_render_markdown_removes_anything_that_could_run(markdown, unwanted):
    assert unwanted not in render_markdown(markdown)


def test_render_markdown_keeps_structure_with_nhs_styles():
    html = render_markdown("# Title\n\n> Quote\n\n1. One\n2. Two\n\n| A | B |\n|---|---|\n| 1 | 2 |")

    assert "<h2>Title</h2>" in html  # the page title is the only <h1>
    assert "<blockquote>" in html
    assert '<ol class="nhsuk-list nhsuk-list--number">' in html
    assert '<table class="nhsuk-table">' in html
    assert '<td class="nhsuk-table__cell">1</td>' in html
