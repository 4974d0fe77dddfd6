from django.urls import path

from waymark.grants.views import programmes, programmes_manage

urlpatterns = [
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/<uuid:uuid>/", programmes.programme_detail, name="programme_detail"),
]

# Setting up a programme and its parts (views/programmes_manage.py).
urlpatterns += [
    path("programmes/new/", programmes_manage.programme_create, name="programme_create"),
    path("programmes/<uuid:uuid>/edit/", programmes_manage.programme_edit, name="programme_edit"),
    path("programmes/<uuid:uuid>/questions/", programmes_manage.programme_questions, name="programme_questions"),
    path("programmes/<uuid:uuid>/eligibility/", programmes_manage.programme_eligibility, name="programme_eligibility"),
    path("programmes/<uuid:uuid>/criteria/", programmes_manage.programme_criteria, name="programme_criteria"),
    path("programmes/<uuid:uuid>/reporting/", programmes_manage.programme_reporting, name="programme_reporting"),
    path("programmes/<uuid:uuid>/history/", programmes_manage.programme_history, name="programme_history"),
]
