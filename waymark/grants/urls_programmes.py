from django.urls import path

from waymark.grants.views import programmes

urlpatterns = [
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/<uuid:uuid>/", programmes.programme_detail, name="programme_detail"),
]
