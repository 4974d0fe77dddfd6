from django.urls import path

from waymark.grants.views import public

urlpatterns = [
    path("", public.public_programme_list, name="public_programme_list"),
    path("<str:lang>/programmes/<slug:code>/", public.public_programme, name="public_programme"),
    path(
        "<str:lang>/programmes/<slug:code>/statistics/",
        public.public_programme_statistics,
        name="public_programme_statistics",
    ),
]
