"""Triage, issues and escalations for staff, the responder's pages, and the signed answer link."""

from django.urls import path

from waymark.voice import views_issues, views_responder, views_triage

urlpatterns = [
    path("triage/", views_triage.triage, name="triage"),
    path("triage/items/<uuid:uuid>/safeguarding/", views_triage.flag_safeguarding, name="triage_safeguarding"),
    path("issues/", views_issues.issue_list, name="issue_list"),
    path("issues/new/", views_issues.issue_create, name="issue_create"),
    path("issues/<uuid:uuid>/", views_issues.issue_detail, name="issue_detail"),
    path("issues/<uuid:uuid>/edit/", views_issues.issue_edit, name="issue_edit"),
    path("issues/<uuid:uuid>/history/", views_issues.issue_history, name="issue_history"),
    path("issues/<uuid:uuid>/escalate/", views_issues.escalation_create, name="escalation_create"),
    path("escalations/<uuid:uuid>/", views_issues.escalation_detail, name="escalation_detail"),
    path("escalations/<uuid:uuid>/answer-link/", views_issues.answer_link_send, name="answer_link_send"),
    path("answer-links/<uuid:uuid>/revoke/", views_issues.answer_link_revoke, name="answer_link_revoke"),
    path("escalations/<uuid:uuid>/record-answer/", views_issues.response_record, name="response_record"),
    path("escalations/<uuid:uuid>/publish/", views_issues.response_publish, name="response_publish"),
    path("escalations/<uuid:uuid>/close/", views_issues.escalation_close, name="escalation_close"),
    path("escalations/<uuid:uuid>/document/", views_issues.response_document, name="response_document"),
    path("closure-days/", views_issues.closure_days, name="closure_days"),
    path("closure-days/<int:pk>/delete/", views_issues.closure_day_delete, name="closure_day_delete"),
    path("respond/", views_responder.responder_list, name="responder_list"),
    path("respond/<uuid:uuid>/", views_responder.responder_escalation, name="responder_escalation"),
    path("answer/<uuid:uuid>/<str:token>/", views_responder.answer_link, name="answer_link"),
]
