"""/api/v1/network/, included by waymark.api.urls in the "api" namespace."""

urlpatterns: list = []
