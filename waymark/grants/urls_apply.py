from django.urls import path

from waymark.grants.views import apply, entry

urlpatterns = [
    # The applicant's journey, in the language of the address
    path("apply/<str:lang>/lost-link/", apply.apply_lost_link, name="apply_lost_link"),
    path("apply/<str:lang>/lost-link/sent/", apply.apply_lost_link_sent, name="apply_lost_link_sent"),
    path("apply/<str:lang>/draft/<str:token>/", apply.apply_resume, name="apply_resume"),
    path("apply/<str:lang>/draft/<str:token>/sent/", apply.apply_sent, name="apply_sent"),
    path(
        "apply/<str:lang>/draft/<str:token>/files/<uuid:uuid>/remove/",
        apply.apply_attachment_remove,
        name="apply_attachment_remove",
    ),
    path("apply/<str:lang>/draft/<str:token>/<slug:step>/", apply.apply_step, name="apply_step"),
    path("apply/<str:lang>/<slug:code>/start/", apply.apply_start, name="apply_start"),
    # Staff: an application taken by phone, video or on paper; an application's files
    path("programmes/<uuid:uuid>/applications/enter/", entry.application_enter, name="application_enter"),
    path(
        "applications/<uuid:uuid>/files/<uuid:attachment>/",
        entry.application_attachment,
        name="application_attachment",
    ),
]
