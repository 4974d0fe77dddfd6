"""The OpenAPI schema and the committed snapshot (the documentation page: test_docs.py)."""

from pathlib import Path

import pytest
import yaml
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


def test_schema_promises_the_same_integer_limits_on_every_database(tmp_path, monkeypatch):
    """SQLite reports 64-bit limits for every integer column; PostgreSQL the column's own. A serializer that
    leaves the limit to the database gives a schema that differs between the two, so a client reading the
    committed snapshot would be told a limit the production database does not keep."""
    from django.apps import apps
    from django.db import connection
    from django.db.backends.base.operations import BaseDatabaseOperations

    def schema_text(name: str) -> str:
        for model in apps.get_models():
            for field in model._meta.get_fields():
                field.__dict__.pop("validators", None)  # a cached property, read from the database's limits
        call_command("spectacular", file=str(tmp_path / name))
        return (tmp_path / name).read_text()

    with monkeypatch.context() as patch:
        portable_range = BaseDatabaseOperations.integer_field_range.__get__(connection.ops)
        patch.setattr(connection.ops, "integer_field_range", portable_range)
        portable = schema_text("portable.yaml")
    assert schema_text("as-is.yaml") == portable, (
        "An integer field's limits come from the database: give it explicit limits (SMALL_POSITIVE)."
    )


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _error_codes(operation) -> set[str]:
    error = {"$ref": "#/components/schemas/Error"}
    return {
        code
        for code, response in operation["responses"].items()
        if response.get("content", {}).get("application/json", {}).get("schema") == error
    }


def test_every_operation_documents_the_errors_it_can_give():
    schema = yaml.safe_load(SNAPSHOT.read_text())
    for path, method, operation in _operations(schema):
        documented = _error_codes(operation)
        expected = {"406", "429"}
        if "{" in path or "page" in {parameter["name"] for parameter in operation.get("parameters", [])}:
            expected.add("404")
        if [parameter for parameter in operation.get("parameters", []) if parameter["in"] == "query"]:
            expected.add("400")
        if "requestBody" in operation:
            expected |= {"400", "415"}
        security = operation.get("security", [{}])
        if any(security):  # credentials are read, so wrong ones are refused
            expected.add("401")
        if {} not in security:
            expected.add("403")
        assert expected <= documented, f"{method.upper()} {path} leaves out {sorted(expected - documented)}"


def test_a_feedback_item_without_sentiment_may_say_so_in_the_schema():
    schema = yaml.safe_load(SNAPSHOT.read_text())
    sentiment = schema["components"]["schemas"]["FeedbackItem"]["properties"]["sentiment"]
    assert {"$ref": "#/components/schemas/NullEnum"} in sentiment["oneOf"]
