"""The plans app's rows of the permission matrix, typed out by hand (merged into ``tests/permission_matrix``).

The target plan is published and owned by the responder persona's organisation; its action is led by the
responder persona and follows one indicator.
"""

# URL name → expected status for:  anonymous, no_role, member, staff, responder, analyst, admin
PLANS_EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    "plans:plan_list":                 (302, 403, 403, 200, 200, 200, 200),
    "plans:plan_detail":               (302, 403, 403, 200, 200, 200, 200),
    "plans:action_detail":             (302, 403, 403, 200, 200, 200, 200),
    # grading: the target grading is the responder persona's organisation's, unpublished; the PCREF plan is theirs
    "plans:eds_grading_list":          (302, 403, 403, 200, 200, 200, 200),
    "plans:eds_grading_create":        (302, 403, 403, 200, 403, 403, 200),
    "plans:eds_grading_detail":        (302, 403, 403, 200, 200, 200, 200),
    "plans:eds_grading_edit":          (302, 403, 403, 200, 403, 403, 200),
    "plans:eds_grading_publish":       (302, 403, 403, 200, 403, 403, 200),
    "plans:eds_comparison":            (302, 403, 403, 200, 200, 200, 200),
    "plans:competency_assessment":     (302, 403, 403, 200, 200, 200, 200),
    # Public progress reports: no sign-in, published plans only
    "plans:public_plan_list":          (200, 200, 200, 200, 200, 200, 200),
    "plans:public_report":             (200, 200, 200, 200, 200, 200, 200),
    "plans:public_report_pdf":         (200, 200, 200, 200, 200, 200, 200),
    # The board dashboard: working roles
    "plans:board":                     (302, 403, 403, 200, 200, 200, 200),
    # Action pages: staff add and edit; the named lead (the responder) and staff update, keep milestones and
    # evidence; the analyst leads no action. Evidence files for whoever sees the plan.
    "plans:action_list":               (302, 403, 403, 200, 200, 200, 200),
    "plans:my_actions":                (302, 403, 403, 200, 200, 200, 200),
    "plans:action_create":             (302, 403, 403, 200, 403, 403, 200),
    "plans:action_edit":               (302, 403, 403, 200, 403, 403, 200),
    "plans:action_update":             (302, 403, 403, 200, 200, 403, 200),
    "plans:milestone_create":          (302, 403, 403, 200, 200, 403, 200),
    "plans:milestone_edit":            (302, 403, 403, 200, 200, 403, 200),
    "plans:milestone_complete":        (302, 403, 403, 405, 405, 405, 405),  # POST only
    "plans:evidence_create":           (302, 403, 403, 200, 200, 403, 200),
    "plans:evidence_file":             (302, 403, 403, 200, 200, 200, 200),
    # Running a plan (plan pages): staff and administrators
    "plans:plan_create":               (302, 403, 403, 200, 403, 403, 200),
    "plans:plan_edit":                 (302, 403, 403, 200, 403, 403, 200),
    "plans:plan_history":              (302, 403, 403, 200, 403, 403, 200),
    "plans:plan_move":                 (405, 405, 405, 405, 405, 405, 405),
    "plans:plan_meetings":             (302, 403, 403, 200, 403, 403, 200),
    "plans:objective_create":          (302, 403, 403, 200, 403, 403, 200),
    "plans:objective_edit":            (302, 403, 403, 200, 403, 403, 200),
    # trail: issues answered, meeting actions raised, objective sources (plan.manage: staff and admin)
    "plans:issue_link":                (302, 403, 403, 200, 403, 403, 200),
    "plans:issue_unlink":              (405, 405, 405, 405, 405, 405, 405),
    "plans:raise_meeting_action":      (302, 403, 403, 200, 403, 403, 200),
    "plans:objective_sources":         (302, 403, 403, 200, 403, 403, 200),
    # Indicators: working roles read them; analysts and administrators attach, change and remove them
    "plans:indicator_detail":          (302, 403, 403, 200, 200, 200, 200),
    "plans:indicator_attach_action":   (302, 403, 403, 403, 403, 200, 200),
    "plans:indicator_attach_objective": (302, 403, 403, 403, 403, 200, 200),
    "plans:indicator_edit":            (302, 403, 403, 403, 403, 200, 200),
    "plans:indicator_remove":          (302, 403, 403, 403, 403, 200, 200),
    "plans:evidence_pack":             (302, 403, 403, 200, 200, 403, 200),  # the responder's own plan
    # exchange: the plan's actions as a spreadsheet (staff, admin); nothing checked yet, so the check page and
    # confirming send the person back to the upload
    "plans:action_export":             (302, 403, 403, 200, 403, 403, 200),
    "plans:action_import":             (302, 403, 403, 200, 403, 403, 200),
    "plans:action_import_preview":     (302, 403, 403, 302, 403, 403, 302),
    "plans:action_import_confirm":     (302, 403, 403, 405, 403, 403, 405),
    # exchange: the read API; published plans (the target is one) and what is in them are public
    "api:plan-list":                   (200, 200, 200, 200, 200, 200, 200),
    "api:plan-detail":                 (200, 200, 200, 200, 200, 200, 200),
    "api:plan-objective-list":         (200, 200, 200, 200, 200, 200, 200),
    "api:plan-objective-detail":       (200, 200, 200, 200, 200, 200, 200),
    "api:plan-action-list":            (200, 200, 200, 200, 200, 200, 200),
    "api:plan-action-detail":          (200, 200, 200, 200, 200, 200, 200),
    "api:plan-indicator-list":         (200, 200, 200, 200, 200, 200, 200),
    "api:plan-indicator-detail":       (200, 200, 200, 200, 200, 200, 200),
}  # fmt: skip

PLANS_EXPECTED_POST: dict[str, tuple[int, int, int, int, int, int, int]] = {
    "plans:plan_list":                 (302, 403, 403, 200, 200, 200, 200),
    "plans:plan_detail":               (302, 403, 403, 200, 200, 200, 200),
    "plans:action_detail":             (302, 403, 403, 200, 200, 200, 200),
    # grading
    "plans:eds_grading_list":          (302, 403, 403, 200, 200, 200, 200),
    "plans:eds_grading_create":        (302, 403, 403, 400, 403, 403, 400),  # nothing graded
    "plans:eds_grading_detail":        (302, 403, 403, 200, 200, 200, 200),
    "plans:eds_grading_edit":          (302, 403, 403, 400, 403, 403, 400),  # no dates, no grades
    "plans:eds_grading_publish":       (302, 403, 403, 302, 403, 403, 302),  # published today
    "plans:eds_comparison":            (302, 403, 403, 200, 200, 200, 200),
    "plans:competency_assessment":     (302, 403, 403, 400, 403, 403, 400),  # nothing chosen
    "plans:public_plan_list":          (405, 405, 405, 405, 405, 405, 405),
    "plans:public_report":             (405, 405, 405, 405, 405, 405, 405),
    "plans:public_report_pdf":         (405, 405, 405, 405, 405, 405, 405),
    "plans:board":                     (405, 405, 405, 405, 405, 405, 405),
    # Action pages: an empty form is refused (400) with nothing written; marking a milestone done redirects.
    "plans:action_list":               (302, 403, 403, 200, 200, 200, 200),
    "plans:my_actions":                (302, 403, 403, 200, 200, 200, 200),
    "plans:action_create":             (302, 403, 403, 400, 403, 403, 400),
    "plans:action_edit":               (302, 403, 403, 400, 403, 403, 400),
    "plans:action_update":             (302, 403, 403, 400, 400, 403, 400),
    "plans:milestone_create":          (302, 403, 403, 400, 400, 403, 400),
    "plans:milestone_edit":            (302, 403, 403, 400, 400, 403, 400),
    "plans:milestone_complete":        (302, 403, 403, 302, 302, 403, 302),
    "plans:evidence_create":           (302, 403, 403, 400, 400, 403, 400),
    "plans:evidence_file":             (302, 403, 403, 200, 200, 200, 200),
    # Running a plan: an empty POST shows the form again (200); an empty move is said on the plan's page (302)
    "plans:plan_create":               (302, 403, 403, 200, 403, 403, 200),
    "plans:plan_edit":                 (302, 403, 403, 200, 403, 403, 200),
    "plans:plan_history":              (302, 403, 403, 200, 403, 403, 200),
    "plans:plan_move":                 (302, 403, 403, 302, 403, 403, 302),
    "plans:plan_meetings":             (302, 403, 403, 200, 403, 403, 200),
    "plans:objective_create":          (302, 403, 403, 200, 403, 403, 200),
    "plans:objective_edit":            (302, 403, 403, 200, 403, 403, 200),
    # trail: an empty body shows the form again (nothing written); unlinking succeeds
    "plans:issue_link":                (302, 403, 403, 200, 403, 403, 200),
    "plans:issue_unlink":              (302, 403, 403, 302, 403, 403, 302),
    "plans:raise_meeting_action":      (302, 403, 403, 200, 403, 403, 200),
    "plans:objective_sources":         (302, 403, 403, 200, 403, 403, 200),
    # Indicators: an empty post shows the form again (200); removing needs no fields
    "plans:indicator_detail":          (302, 403, 403, 200, 200, 200, 200),
    "plans:indicator_attach_action":   (302, 403, 403, 403, 403, 200, 200),
    "plans:indicator_attach_objective": (302, 403, 403, 403, 403, 200, 200),
    "plans:indicator_edit":            (302, 403, 403, 403, 403, 200, 200),
    "plans:indicator_remove":          (302, 403, 403, 403, 403, 302, 302),
    "plans:evidence_pack":             (405, 405, 405, 405, 405, 405, 405),  # a download
    # exchange: an empty upload is refused on the form; confirming with nothing checked goes back to the upload
    "plans:action_export":             (302, 403, 403, 405, 403, 403, 405),
    "plans:action_import":             (302, 403, 403, 400, 403, 403, 400),
    "plans:action_import_preview":     (302, 403, 403, 405, 403, 403, 405),
    "plans:action_import_confirm":     (302, 403, 403, 302, 403, 403, 302),
    # exchange: the API reads only
    "api:plan-list":                   (405, 405, 405, 405, 405, 405, 405),
    "api:plan-detail":                 (405, 405, 405, 405, 405, 405, 405),
    "api:plan-objective-list":         (405, 405, 405, 405, 405, 405, 405),
    "api:plan-objective-detail":       (405, 405, 405, 405, 405, 405, 405),
    "api:plan-action-list":            (405, 405, 405, 405, 405, 405, 405),
    "api:plan-action-detail":          (405, 405, 405, 405, 405, 405, 405),
    "api:plan-indicator-list":         (405, 405, 405, 405, 405, 405, 405),
    "api:plan-indicator-detail":       (405, 405, 405, 405, 405, 405, 405),
}  # fmt: skip
