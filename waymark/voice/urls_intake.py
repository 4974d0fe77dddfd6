"""The public feedback form and reference page, and the staff intake pages, included by ``voice.urls``."""

from django.urls import path

from waymark.voice import views_intake, views_public

urlpatterns = [
    path("feedback/", views_public.feedback_start, name="feedback_start"),
    path("feedback/<str:lang>/", views_public.feedback, name="feedback"),
    path("feedback/<str:lang>/reference/", views_public.reference_lookup, name="reference_lookup"),
    path("feedback/<str:lang>/reference/<str:reference>/", views_public.reference, name="reference"),
    path("items/", views_intake.item_list, name="item_list"),
    path("items/record/", views_intake.item_record, name="item_record"),
    path("items/<uuid:uuid>/", views_intake.item_detail, name="item_detail"),
    path("items/<uuid:uuid>/quote/", views_intake.item_quote, name="item_quote"),
    path("items/<uuid:uuid>/language/", views_intake.item_language, name="item_language"),
    path("interpreting/", views_intake.interpreting_queue, name="interpreting_queue"),
    path("my-languages/", views_intake.my_languages, name="my_languages"),
]
