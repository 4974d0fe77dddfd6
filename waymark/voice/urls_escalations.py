"""Triage, issues and escalations for staff, the responder's pages, and the signed answer link."""

from django.urls import path

from waymark.voice.views import issues, responder, triage

urlpatterns = [
    path("triage/", triage.triage, name="triage"),
    path("triage/items/<uuid:uuid>/safeguarding/", triage.flag_safeguarding, name="triage_safeguarding"),
    path("issues/", issues.issue_list, name="issue_list"),
    path("issues/new/", issues.issue_create, name="issue_create"),
    path("issues/<uuid:uuid>/", issues.issue_detail, name="issue_detail"),
    path("issues/<uuid:uuid>/edit/", issues.issue_edit, name="issue_edit"),
    path("issues/<uuid:uuid>/history/", issues.issue_history, name="issue_history"),
    path("issues/<uuid:uuid>/escalate/", issues.escalation_create, name="escalation_create"),
    path("escalations/<uuid:uuid>/", issues.escalation_detail, name="escalation_detail"),
    path("escalations/<uuid:uuid>/answer-link/", issues.answer_link_send, name="answer_link_send"),
    path("answer-links/<uuid:uuid>/revoke/", issues.answer_link_revoke, name="answer_link_revoke"),
    path("escalations/<uuid:uuid>/record-answer/", issues.response_record, name="response_record"),
    path("escalations/<uuid:uuid>/publish/", issues.response_publish, name="response_publish"),
    path("escalations/<uuid:uuid>/close/", issues.escalation_close, name="escalation_close"),
    path("escalations/<uuid:uuid>/document/", issues.response_document, name="response_document"),
    path("closure-days/", issues.closure_days, name="closure_days"),
    path("closure-days/<int:pk>/delete/", issues.closure_day_delete, name="closure_day_delete"),
    path("respond/", responder.responder_list, name="responder_list"),
    path("respond/<uuid:uuid>/", responder.responder_escalation, name="responder_escalation"),
    path("answer/<uuid:uuid>/<str:token>/", responder.answer_link, name="answer_link"),
]
