from django.urls import path

from waymark.grants.views import public

urlpatterns = [
    path("", public.public_programme_list, name="public_programme_list"),
]
