"""OpenAPI generation that knows about the policy: public operations say so."""

from typing import Any

from drf_spectacular.openapi import AutoSchema


class PolicyAutoSchema(AutoSchema):
    """Marks operations whose ``policy_permissions`` entry is None as callable without credentials."""

    def get_auth(self) -> list[dict[str, Any]]:
        auth = super().get_auth()
        declared = getattr(self.view, "policy_permissions", {})
        action = getattr(self.view, "action", None) or self.method.lower()
        if action in declared and declared[action] is None and {} not in auth:
            auth.append({})
        return auth
