"""The partnership app's rows of the permission matrix, typed out by hand (merged into
``tests/permission_matrix``).

The target consultation is planned, unpublished and led by the responder persona's organisation; the target
activity entry is the staff persona's own.
"""

# URL name → expected status for:  anonymous, no_role, member, staff, responder, analyst, admin
PARTNERSHIP_EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    # The consultation calendar: working users read; partners' staff (staff, responders, admins) record
    "partnership:consultation_list":   (302, 403, 403, 200, 200, 200, 200),
    "partnership:consultation_create": (302, 403, 403, 200, 200, 403, 200),
    "partnership:consultation_detail": (302, 403, 403, 200, 200, 200, 200),
    "partnership:consultation_edit":   (302, 403, 403, 200, 200, 403, 200),  # the responder's own
    "partnership:consultation_move":   (405, 405, 405, 405, 405, 405, 405),  # POST only
    # Closing the loop: the lead body's staff write the report (the responder's own); working users read the
    # history of changes
    "partnership:consultation_report": (302, 403, 403, 200, 200, 403, 200),
    "partnership:consultation_history": (302, 403, 403, 200, 200, 200, 200),
    # Feeds and downloads: the public feed and page need no account (the target is published and open);
    # the private feed answers working users (or their signed link); the spreadsheet names contacts
    "partnership:public_feed":              (200, 200, 200, 200, 200, 200, 200),
    "partnership:consultation_feed":        (302, 403, 403, 200, 200, 200, 200),
    "partnership:consultation_subscribe":   (302, 403, 403, 200, 200, 200, 200),
    "partnership:consultation_export":      (302, 403, 403, 200, 200, 200, 200),
    "partnership:public_consultation_list": (200, 200, 200, 200, 200, 200, 200),
    "partnership:public_consultation":      (200, 200, 200, 200, 200, 200, 200),
    "partnership:consultation_fatigue":     (302, 403, 403, 200, 200, 200, 200),
    # The API reads the calendar; the target is unpublished, so only working users find it
    "api:consultation-list":           (200, 200, 200, 200, 200, 200, 200),
    "api:consultation-detail":         (404, 404, 404, 200, 200, 200, 200),
    # CDW balances: workers (staff) and admins read their own; any signed-in user lists the teams they are in;
    # administrators set teams up. The team is managed by the staff persona: its page is for its manager,
    # workers and admins; a worker's balance is for the worker and the line manager only, not an admin.
    "partnership:balance_mine":        (302, 403, 403, 200, 403, 403, 200),
    "partnership:team_list":           (302, 200, 200, 200, 200, 200, 200),
    "partnership:team_create":         (302, 403, 403, 403, 403, 403, 200),
    "partnership:team_detail":         (302, 403, 403, 200, 403, 403, 200),
    "partnership:team_edit":           (302, 403, 403, 403, 403, 403, 200),
    "partnership:worker_balance":      (302, 403, 403, 200, 403, 403, 403),
    # The decision log: working users read; staff and administrators record and change decisions
    "partnership:decision_list":       (302, 403, 403, 200, 200, 200, 200),
    "partnership:decision_create":     (302, 403, 403, 200, 403, 403, 200),
    "partnership:decision_detail":     (302, 403, 403, 200, 200, 200, 200),
    "partnership:decision_edit":       (302, 403, 403, 200, 403, 403, 200),
    # The calendar's month grid: working users; the form's live clash check: partners' staff, POST only
    "partnership:consultation_month":  (302, 403, 403, 200, 200, 200, 200),
    "partnership:consultation_clash_check": (405, 405, 405, 405, 405, 405, 405),
    # Partnerships: working users read them, their members and who does what; staff and admins run them
    "partnership:partnership_list":    (302, 403, 403, 200, 200, 200, 200),
    "partnership:partnership_create":  (302, 403, 403, 200, 403, 403, 200),
    "partnership:partnership_detail":  (302, 403, 403, 200, 200, 200, 200),
    "partnership:partnership_edit":    (302, 403, 403, 200, 403, 403, 200),
    "partnership:partnership_history": (302, 403, 403, 200, 403, 403, 200),
    "partnership:partnership_members": (302, 403, 403, 200, 403, 403, 200),
    "partnership:partnership_matrix":  (302, 403, 403, 200, 200, 200, 200),
    "partnership:partnership_matrix_edit": (302, 403, 403, 200, 403, 403, 200),
    "partnership:partnership_matrix_download": (302, 403, 403, 200, 200, 200, 200),
    # The activity log: community development workers (staff) and admins log their own; the target entry is
    # the staff persona's, which nobody else sees (not even an administrator: 404)
    "partnership:activity_list":       (302, 403, 403, 200, 403, 403, 200),
    "partnership:activity_create":     (302, 403, 403, 200, 403, 403, 200),
    "partnership:activity_edit":       (302, 403, 403, 200, 403, 403, 404),
    "partnership:activity_delete":     (302, 403, 403, 200, 403, 403, 404),
    # downloads: a worker's own entries; a worker's by the worker or their line manager only, whatever their
    # role (the target worker is in the team the staff persona manages)
    "partnership:activity_export":     (302, 403, 403, 200, 403, 403, 200),
    "partnership:worker_activity_export": (302, 404, 404, 200, 404, 404, 404),
}  # fmt: skip

PARTNERSHIP_EXPECTED_POST: dict[str, tuple[int, int, int, int, int, int, int]] = {
    "partnership:consultation_list":   (302, 403, 403, 200, 200, 200, 200),
    # an empty form is refused, nothing written
    "partnership:consultation_create": (302, 403, 403, 400, 400, 403, 400),
    "partnership:consultation_detail": (302, 403, 403, 200, 200, 200, 200),
    "partnership:consultation_edit":   (302, 403, 403, 400, 400, 403, 400),
    # no status named: said on the consultation's page
    "partnership:consultation_move":   (302, 403, 403, 302, 302, 403, 302),
    # an empty report is a report of nothing: saved (a planned consultation needs no summary yet)
    "partnership:consultation_report": (302, 403, 403, 302, 302, 403, 302),
    "partnership:consultation_history": (302, 403, 403, 200, 200, 200, 200),
    "partnership:public_feed":              (405, 405, 405, 405, 405, 405, 405),
    "partnership:consultation_feed":        (405, 405, 405, 405, 405, 405, 405),
    # POST replaces the user's own calendar address
    "partnership:consultation_subscribe":   (302, 403, 403, 302, 302, 302, 302),
    "partnership:consultation_export":      (302, 403, 403, 405, 405, 405, 405),
    "partnership:public_consultation_list": (405, 405, 405, 405, 405, 405, 405),
    "partnership:public_consultation":      (405, 405, 405, 405, 405, 405, 405),
    "partnership:consultation_fatigue":     (302, 403, 403, 405, 405, 405, 405),
    # The API reads only
    "api:consultation-list":           (405, 405, 405, 405, 405, 405, 405),
    "api:consultation-detail":         (405, 405, 405, 405, 405, 405, 405),
    "partnership:balance_mine":        (302, 403, 403, 200, 403, 403, 200),
    "partnership:team_list":           (302, 200, 200, 200, 200, 200, 200),
    # an empty form is refused, nothing written
    "partnership:team_create":         (302, 403, 403, 403, 403, 403, 400),
    "partnership:team_detail":         (302, 403, 403, 200, 403, 403, 200),
    "partnership:team_edit":           (302, 403, 403, 403, 403, 403, 400),
    "partnership:worker_balance":      (302, 403, 403, 200, 403, 403, 403),
    "partnership:decision_list":       (302, 403, 403, 200, 200, 200, 200),
    # an empty form is refused naming its fields, nothing written
    "partnership:decision_create":     (302, 403, 403, 400, 403, 403, 400),
    "partnership:decision_detail":     (302, 403, 403, 200, 200, 200, 200),
    "partnership:decision_edit":       (302, 403, 403, 400, 403, 403, 400),
    "partnership:consultation_month":  (302, 403, 403, 200, 200, 200, 200),
    # an empty form clashes with nothing: no warning, nothing written
    "partnership:consultation_clash_check": (302, 403, 403, 200, 200, 403, 200),
    "partnership:partnership_list":    (302, 403, 403, 200, 200, 200, 200),
    # an empty form is refused, nothing written
    "partnership:partnership_create":  (302, 403, 403, 400, 403, 403, 400),
    "partnership:partnership_detail":  (302, 403, 403, 200, 200, 200, 200),
    "partnership:partnership_edit":    (302, 403, 403, 400, 403, 403, 400),
    "partnership:partnership_history": (302, 403, 403, 200, 403, 403, 200),
    # no rows sent (no management form): refused, the members stay as they were
    "partnership:partnership_members": (302, 403, 403, 400, 403, 403, 400),
    "partnership:partnership_matrix":  (302, 403, 403, 200, 200, 200, 200),
    # every cell must be sent: an empty form clears nothing
    "partnership:partnership_matrix_edit": (302, 403, 403, 400, 403, 403, 400),
    "partnership:partnership_matrix_download": (302, 403, 403, 200, 200, 200, 200),
    "partnership:activity_list":       (302, 403, 403, 200, 403, 403, 200),
    # an empty form is refused, nothing written
    "partnership:activity_create":     (302, 403, 403, 400, 403, 403, 400),
    "partnership:activity_edit":       (302, 403, 403, 400, 403, 403, 404),
    # the worker deletes their own entry and goes back to their list
    "partnership:activity_delete":     (302, 403, 403, 302, 403, 403, 404),
    "partnership:activity_export":     (405, 405, 405, 405, 405, 405, 405),  # downloads are read only
    "partnership:worker_activity_export": (405, 405, 405, 405, 405, 405, 405),
}  # fmt: skip
