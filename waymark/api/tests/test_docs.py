"""The API documentation page: public, complete against the schema, and served entirely from this site."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from waymark.accounts.factories import make_persona
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs/"
# The SVG namespace in the site's icons names a standard; nothing is fetched from it.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator(patterns=None).get_schema(request=None, public=True)


@pytest.fixture
def docs_html(client) -> str:
    response = client.get(DOCS)
    assert response.status_code == 200
    return response.content.decode()


def operation_block(page: str, anchor: str) -> str:
    """The part of the page about one operation: from its heading to the next heading."""
    start = page.index(f'id="{anchor}"')
    following = re.search(r"<h[23]\b", page[start:])
    return page[start : start + following.start()] if following else page[start:]


def test_visitors_can_read_it_without_signing_in(docs_html):
    assert '<h2 class="nhsuk-heading-l" id="authentication">Authentication</h2>' in docs_html
    assert 'href="/account/api-tokens/"' in docs_html
    assert "Authorization: Bearer wmk_…" in docs_html


def test_signed_in_people_see_the_same_page(client):
    client.force_login(make_persona(Role.STAFF))
    response = client.get(DOCS)
    assert response.status_code == 200
    assert "Needs a token" in response.content.decode()


def test_every_operation_in_the_schema_is_documented(docs_html, schema):
    for path, methods in schema["paths"].items():
        assert f'<code dir="ltr" translate="no">{path}</code>' in docs_html, path
        for operation in methods.values():
            anchor = operation["operationId"].replace("_", "-")
            assert f'id="{anchor}"' in docs_html, operation["operationId"]
            assert operation["summary"].replace("'", "&#x27;") in operation_block(docs_html, anchor)


def test_operations_say_whether_they_need_a_token(docs_html):
    organisations = operation_block(docs_html, "organisations-list")
    assert "Needs a token" in organisations
    languages = operation_block(docs_html, "languages-list")
    assert "Needs a token" not in languages
    assert "Public" in languages


def test_adding_an_organisation_lists_the_fields_to_send_but_not_read_only_ones(docs_html):
    create = operation_block(docs_html, "organisations-create")
    assert "Request body fields" in create
    assert '<code dir="ltr" translate="no">name</code>' in create
    assert '<code dir="ltr" translate="no">org_type</code>' in create
    assert "<code>nhs_trust</code> - NHS trust" in create
    for read_only in ("uuid", "created_at", "url"):
        assert f'<code dir="ltr" translate="no">{read_only}</code>' not in create


def test_list_parameters_and_responses_are_shown(docs_html):
    organisations = operation_block(docs_html, "organisations-list")
    assert '<code dir="ltr" translate="no">page_size</code>' in organisations
    assert 'A page of <a href="#record-organisation">Organisation</a> records' in organisations
    assert 'id="record-organisation"' in docs_html


def test_links_to_the_machine_readable_schema(docs_html):
    assert 'href="/api/v1/schema/"' in docs_html
    assert 'href="/api/v1/schema/?format=json"' in docs_html


def test_page_loads_nothing_from_another_site(docs_html):
    lowered = docs_html.lower()
    for outside in ("googleapis", "cdn", "unpkg", "jsdelivr", "<iframe"):
        assert outside not in lowered, outside
    # The only absolute URLs are the examples, which name this site, and the SVG namespace.
    for url in re.findall(r"https?://[^\s\"'<]+", docs_html):
        assert url.startswith(("http://testserver/api/v1/", SVG_NAMESPACE)), url
