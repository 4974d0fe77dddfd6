from django.urls import path

from waymark.grants.views import applications

urlpatterns = [
    path("programmes/<uuid:uuid>/applications/", applications.application_list, name="application_list"),
    path("applications/<uuid:uuid>/", applications.application_detail, name="application_detail"),
]
