"""/api/v1/directory/: the Open Referral UK endpoints, included by waymark.api.urls in the "api" namespace.

Each path answers with and without a trailing slash; the schema lists the form without, as Open
Referral UK tools call it.
"""

from django.urls import path

from waymark.directory.api import views

urlpatterns = [
    path("", views.DirectoryInfoView.as_view(), name="directory-root"),
    path("services", views.ServiceListView.as_view(), name="directory-service-list"),
    path("services/", views.ServiceListView.as_view(schema=None), name="directory-service-list-slash"),
    path("services/<str:id>", views.ServiceDetailView.as_view(), name="directory-service-detail"),
    path("services/<str:id>/", views.ServiceDetailView.as_view(schema=None), name="directory-service-detail-slash"),
]
