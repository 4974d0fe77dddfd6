"""The OpenAPI schema, its documentation page and the committed snapshot."""

from pathlib import Path

import pytest
from django.core.management import call_command

import waymark.api

SNAPSHOT = Path(waymark.api.__file__).parent / "openapi.yaml"


@pytest.mark.django_db
def test_schema_is_served_and_names_the_bearer_scheme(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (wmk_…), created on the account's API tokens page.",
    }
    assert "/api/v1/organisations/" in schema["paths"]


@pytest.mark.django_db
def test_docs_page_loads_everything_from_this_site(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode().lower()
    assert "swagger-ui" in page
    for outside in ("cdn", "jsdelivr", "unpkg", "http://", "https://"):
        assert outside not in page, outside


def test_committed_schema_snapshot_is_current(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", file=str(generated), validate=True, fail_on_warn=True)
    assert generated.read_text() == SNAPSHOT.read_text(), (
        "OpenAPI schema changed: run scripts/check_openapi.sh --update"
    )
