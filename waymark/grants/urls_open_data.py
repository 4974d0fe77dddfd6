from django.urls import path

from waymark.grants.views import open_data

urlpatterns = [
    path("open-data/", open_data.open_data_page, name="open_data"),
    path("open-data/360giving.json", open_data.open_data_json, name="open_data_json"),
    path("open-data/360giving.xlsx", open_data.open_data_xlsx, name="open_data_xlsx"),
]
