"""OpenAPI generation that knows about the policy and the error format, so the schema says what happens."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry

from waymark.core.rest.serializers import ErrorSerializer

# Every error answer has the one shape of core.rest.exceptions; these say when each code comes.
ERROR_DESCRIPTIONS = {
    "400": "The query or the body is not valid: `errors` names each field at fault.",
    "401": "The credentials sent are wrong, expired or revoked, or none were sent where they are needed.",
    "403": "These credentials may not do this.",
    "404": "No such record, none this caller may see, or a page past the last.",
    "406": "The Accept header asks for a format this operation cannot give.",
    "415": "The body is in a format this operation does not read.",
    "429": "Too many requests: try again after the number of seconds in Retry-After.",
}


class PolicyAutoSchema(AutoSchema):
    """Marks public operations as callable without credentials, and documents every error an
    operation can give, once for all operations rather than view by view."""

    def get_auth(self) -> list[dict[str, Any]]:
        auth = super().get_auth()
        if self._is_public() and {} not in auth:
            auth.append({})
        return auth

    def _is_public(self) -> bool:
        declared = getattr(self.view, "policy_permissions", {})
        action = getattr(self.view, "action", None) or self.method.lower()
        return action in declared and declared[action] is None

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = self.resolve_serializer(ErrorSerializer(), "response").ref
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(
                code, {"content": {"application/json": {"schema": error}}, "description": ERROR_DESCRIPTIONS[code]}
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        """The errors this operation can give, from what it reads and who may call it."""
        parameters = operation.get("parameters", [])
        codes = ["406"]  # content negotiation runs for every request
        if operation.get("requestBody") or any(parameter["in"] == "query" for parameter in parameters):
            codes.append("400")
        if operation.get("requestBody"):
            codes.append("415")
        if self.view.get_authenticators():
            codes.append("401")
        if not self._is_public():
            codes.append("403")
        if any(parameter["in"] == "path" or parameter["name"] == "page" for parameter in parameters):
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        return codes
