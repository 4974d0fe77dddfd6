"""The plans app's rows of the permission matrix, typed out by hand (merged into ``tests/permission_matrix``).

The target plan is published and owned by the responder persona's organisation; its action is led by the
responder persona.
"""

# URL name → expected status for:  anonymous, no_role, member, staff, responder, analyst, admin
PLANS_EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    "plans:plan_list":                 (302, 403, 403, 200, 200, 200, 200),
    "plans:plan_detail":               (302, 403, 403, 200, 200, 200, 200),
    "plans:action_detail":             (302, 403, 403, 200, 200, 200, 200),
}  # fmt: skip

PLANS_EXPECTED_POST: dict[str, tuple[int, int, int, int, int, int, int]] = {
    "plans:plan_list":                 (302, 403, 403, 200, 200, 200, 200),
    "plans:plan_detail":               (302, 403, 403, 200, 200, 200, 200),
    "plans:action_detail":             (302, 403, 403, 200, 200, 200, 200),
}  # fmt: skip
