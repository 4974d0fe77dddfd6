"""EDS 2022 gradings, a PCREF plan's competency self-assessment and its evidence pack."""

from django.urls import path

from waymark.plans.views import evidence_pack, grading

urlpatterns = [
    path("eds/", grading.eds_grading_list, name="eds_grading_list"),
    path("eds/grade/", grading.eds_grading_create, name="eds_grading_create"),
    path("eds/<uuid:uuid>/", grading.eds_grading_detail, name="eds_grading_detail"),
    path("eds/<uuid:uuid>/change/", grading.eds_grading_edit, name="eds_grading_edit"),
    path("eds/<uuid:uuid>/publish/", grading.eds_grading_publish, name="eds_grading_publish"),
    path("eds/organisations/<uuid:uuid>/", grading.eds_comparison, name="eds_comparison"),
    path("<uuid:uuid>/competencies/", grading.competency_assessment, name="competency_assessment"),
    path("<uuid:uuid>/evidence-pack/", evidence_pack.evidence_pack, name="evidence_pack"),
]
