"""The OpenAPI schema and the committed snapshot (the documentation page: test_docs.py)."""

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


def test_committed_schema_snapshot_is_current(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", file=str(generated), validate=True, fail_on_warn=True)
    assert generated.read_text() == SNAPSHOT.read_text(), (
        "OpenAPI schema changed: run scripts/check_openapi.sh --update"
    )
