from django.urls import path

from waymark.grants.views import assessment

urlpatterns = [
    path("applications/<uuid:uuid>/screen/", assessment.application_screen, name="application_screen"),
    path("applications/<uuid:uuid>/assessors/add/", assessment.assessor_assign, name="assessor_assign"),
    path("applications/<uuid:uuid>/panel-decision/", assessment.panel_decision, name="panel_decision"),
    path("programmes/<uuid:uuid>/moderation/", assessment.moderation, name="moderation"),
    path("assessments/", assessment.my_assessments, name="my_assessments"),
    path("assessments/<uuid:uuid>/", assessment.assessment, name="assessment"),
    path("assessments/<uuid:uuid>/declare/", assessment.assessment_declare, name="assessment_declare"),
]
