"""The grants app's rows of the permission matrix, typed out by hand (merged into ``tests/permission_matrix``).

The target programme is published and open, funded by the responder persona's organisation; the target
application is submitted (see ``tests/permission_world_grants``)."""

# URL name → expected status for:  anonymous, no_role, member, staff, responder, analyst, admin
GRANTS_EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    # Programmes and their budgets: working users read
    "grants:programme_list": (302, 403, 403, 200, 200, 200, 200),
    "grants:programme_detail": (302, 403, 403, 200, 200, 200, 200),
    # Applications hold people's names and words: grants officers (staff) and administrators
    "grants:application_list": (302, 403, 403, 200, 403, 403, 200),
    "grants:application_detail": (302, 403, 403, 200, 403, 403, 200),
    # The public pages need no account
    "grants:public_programme_list": (200, 200, 200, 200, 200, 200, 200),
    # apply (helper 2): the applicant's journey needs no account, only the draft's link; staff enter an
    # application taken by phone, video or on paper, and open an application's files
    "grants:apply_start": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_lost_link": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_lost_link_sent": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_resume": (302, 302, 302, 302, 302, 302, 302),
    "grants:apply_step": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_sent": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_attachment_remove": (405, 405, 405, 405, 405, 405, 405),
    "grants:application_enter": (302, 403, 403, 200, 403, 403, 200),
    "grants:application_attachment": (302, 403, 403, 200, 403, 403, 200),
    # awards: grants officers decide (the target is submitted, so the page warns) and handle payments on an
    # award (a second application); the award letter is for them, or for the applicant by its signed link
    "grants:application_decide": (302, 403, 403, 200, 403, 403, 200),
    "grants:payment_schedule": (302, 403, 403, 200, 403, 403, 200),
    "grants:payment_paid": (302, 403, 403, 200, 403, 403, 200),
    "grants:award_letter": (302, 403, 403, 200, 403, 403, 200),
    "grants:award_letter_public": (200, 200, 200, 200, 200, 200, 200),
    # assess: screening, seats and the panel's decision are grants officers'; the target seat is the member's,
    # declared with no conflict: only they open it (officers see it, 403; others do not, 404); declared already,
    # its declaration page sends them on (302)
    "grants:application_screen": (302, 403, 403, 200, 403, 403, 200),
    "grants:assessor_assign": (302, 403, 403, 200, 403, 403, 200),
    "grants:panel_decision": (302, 403, 403, 200, 403, 403, 200),
    "grants:moderation": (302, 403, 403, 200, 403, 403, 200),
    "grants:my_assessments": (302, 200, 200, 200, 200, 200, 200),
    "grants:assessment": (302, 404, 200, 403, 404, 404, 403),
    "grants:assessment_declare": (302, 404, 302, 403, 404, 404, 403),
    # assess API: anyone signed in lists their own seats; only the member's seat opens, to the member
    "api:grant-assessment-list": (401, 200, 200, 200, 200, 200, 200),
    "api:grant-assessment-detail": (401, 404, 200, 404, 404, 404, 404),
    "api:grant-assessment-scores": (405, 405, 405, 405, 405, 405, 405),  # POST only
    # opendata: the awards as 360Giving open data, page, files and API, need no account
    "grants:open_data": (200, 200, 200, 200, 200, 200, 200),
    "grants:open_data_json": (200, 200, 200, 200, 200, 200, 200),
    "grants:open_data_xlsx": (200, 200, 200, 200, 200, 200, 200),
    "api:grants-award-list": (200, 200, 200, 200, 200, 200, 200),
    "api:grants-award-detail": (200, 200, 200, 200, 200, 200, 200),
    # apply (helper 2): the staff applications API
    "api:grants-application-list": (401, 403, 403, 200, 403, 403, 200),  # grants officers only
    "api:grants-application-detail": (401, 403, 403, 200, 403, 403, 200),
    # aftercare: reports are for grants officers and administrators
    "grants:report_list": (302, 403, 403, 200, 403, 403, 200),
    "grants:report_detail": (302, 403, 403, 200, 403, 403, 200),
    "grants:report_record": (302, 403, 403, 200, 403, 403, 200),
    "grants:report_skip": (302, 403, 403, 200, 403, 403, 200),
    # programmes (helper 1): setting up a programme and its parts, and its history: grants officers and admins
    "grants:programme_create": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_edit": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_questions": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_eligibility": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_criteria": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_reporting": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_history": (302, 403, 403, 200, 403, 403, 200),
    "api:grants-programme-list": (200, 200, 200, 200, 200, 200, 200),  # published programmes are public
    "api:grants-programme-detail": (200, 200, 200, 200, 200, 200, 200),
    # public (helper 3): a published programme's page with its eligibility checker, and its statistics
    "grants:public_programme": (200, 200, 200, 200, 200, 200, 200),
    "grants:public_programme_statistics": (200, 200, 200, 200, 200, 200, 200),
}

GRANTS_EXPECTED_POST: dict[str, tuple[int, int, int, int, int, int, int]] = {
    # Read pages refuse POST
    "grants:programme_list": (302, 403, 403, 405, 405, 405, 405),
    "grants:programme_detail": (302, 403, 403, 405, 405, 405, 405),
    "grants:application_list": (302, 403, 403, 405, 403, 403, 405),
    "grants:application_detail": (302, 403, 403, 405, 403, 403, 405),
    "grants:public_programme_list": (405, 405, 405, 405, 405, 405, 405),
    # apply (helper 2): an empty form comes back with its errors; removing a draft's file redirects
    "grants:apply_start": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_lost_link": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_lost_link_sent": (405, 405, 405, 405, 405, 405, 405),
    "grants:apply_resume": (405, 405, 405, 405, 405, 405, 405),
    "grants:apply_step": (200, 200, 200, 200, 200, 200, 200),
    "grants:apply_sent": (405, 405, 405, 405, 405, 405, 405),
    "grants:apply_attachment_remove": (302, 302, 302, 302, 302, 302, 302),
    "grants:application_enter": (302, 403, 403, 200, 403, 403, 200),
    "grants:application_attachment": (302, 403, 403, 405, 403, 403, 405),
    # awards: an empty form is refused with its errors (400)
    "grants:application_decide": (302, 403, 403, 400, 403, 403, 400),
    "grants:payment_schedule": (302, 403, 403, 400, 403, 403, 400),
    "grants:payment_paid": (302, 403, 403, 400, 403, 403, 400),
    "grants:award_letter": (302, 403, 403, 405, 403, 403, 405),
    "grants:award_letter_public": (405, 405, 405, 405, 405, 405, 405),
    # assess: an empty form is refused with its errors (400); the member's empty scoring form saves a draft
    "grants:application_screen": (302, 403, 403, 400, 403, 403, 400),
    "grants:assessor_assign": (302, 403, 403, 400, 403, 403, 400),
    "grants:panel_decision": (302, 403, 403, 400, 403, 403, 400),
    "grants:moderation": (302, 403, 403, 405, 403, 403, 405),
    "grants:my_assessments": (302, 405, 405, 405, 405, 405, 405),
    "grants:assessment": (302, 404, 302, 403, 404, 404, 403),
    "grants:assessment_declare": (302, 404, 302, 403, 404, 404, 403),
    # assess API: scores go to the member's own seat only (an empty body is refused with its errors)
    "api:grant-assessment-list": (405, 405, 405, 405, 405, 405, 405),
    "api:grant-assessment-detail": (405, 405, 405, 405, 405, 405, 405),
    "api:grant-assessment-scores": (401, 404, 400, 404, 404, 404, 404),
    # opendata: read only
    "grants:open_data": (405, 405, 405, 405, 405, 405, 405),
    "grants:open_data_json": (405, 405, 405, 405, 405, 405, 405),
    "grants:open_data_xlsx": (405, 405, 405, 405, 405, 405, 405),
    "api:grants-award-list": (405, 405, 405, 405, 405, 405, 405),
    "api:grants-award-detail": (405, 405, 405, 405, 405, 405, 405),
    # apply (helper 2): the staff applications API
    "api:grants-application-list": (405, 405, 405, 405, 405, 405, 405),  # the API reads only
    "api:grants-application-detail": (405, 405, 405, 405, 405, 405, 405),
    # aftercare: an empty form is refused on its fields (400), nothing written
    "grants:report_list": (302, 403, 403, 405, 403, 403, 405),
    "grants:report_detail": (302, 403, 403, 405, 403, 403, 405),
    "grants:report_record": (302, 403, 403, 400, 403, 403, 400),
    "grants:report_skip": (302, 403, 403, 400, 403, 403, 400),
    # programmes (helper 1): an empty POST shows the programme's form again (200), an empty POST of a part's rows is
    # refused (400); the history is read only
    "grants:programme_create": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_edit": (302, 403, 403, 200, 403, 403, 200),
    "grants:programme_questions": (302, 403, 403, 400, 403, 403, 400),
    "grants:programme_eligibility": (302, 403, 403, 400, 403, 403, 400),
    "grants:programme_criteria": (302, 403, 403, 400, 403, 403, 400),
    "grants:programme_reporting": (302, 403, 403, 400, 403, 403, 400),
    "grants:programme_history": (302, 403, 403, 405, 403, 403, 405),
    "api:grants-programme-list": (405, 405, 405, 405, 405, 405, 405),  # the API reads only
    "api:grants-programme-detail": (405, 405, 405, 405, 405, 405, 405),
    # public (helper 3): read pages, the checker is sent by GET
    "grants:public_programme": (405, 405, 405, 405, 405, 405, 405),
    "grants:public_programme_statistics": (405, 405, 405, 405, 405, 405, 405),
}
