"""The one error shape, and the permission class's refusal to guess."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from waymark.accounts.factories import make_persona
from waymark.core.rest.exceptions import exception_handler
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_services_validation_error_becomes_a_400_naming_the_field():
    response = exception_handler(DjangoValidationError({"postcode": ["Enter a real postcode."]}), {})
    assert response.status_code == 400
    assert response.data["errors"] == {"postcode": ["Enter a real postcode."]}
    assert response.data["detail"]


def test_an_error_about_the_whole_record_is_listed_as_non_field():
    response = exception_handler(DjangoValidationError("These two cannot both be set."), {})
    assert response.status_code == 400
    assert response.data["errors"] == {"non_field_errors": ["These two cannot both be set."]}


def test_not_found_has_the_same_shape(api_client):
    response = api_client.get("/api/v1/themes/no-such-theme/")
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "errors": {}}


def test_an_api_address_that_matches_no_route_answers_in_the_error_format(api_client):
    response = api_client.get("/api/v1/ethnic-code-sets/no.such.set/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_options_is_answered_to_whoever_may_read(api_client):
    assert api_client.options("/api/v1/themes/").status_code == 200
    assert api_client.options("/api/v1/").status_code == 200
    assert api_client.options("/api/v1/organisations/").status_code == 401


def test_options_describes_only_the_writes_this_user_may_make(token_client):
    member_view = token_client(make_persona(Role.MEMBER)).options("/api/v1/organisations/").json()
    staff_view = token_client(make_persona(Role.STAFF)).options("/api/v1/organisations/").json()
    assert "POST" not in member_view.get("actions", {})
    assert "POST" in staff_view["actions"]


class UndeclaredView(APIView):
    def get(self, request):
        return Response({})


class HalfDeclaredView(APIView):
    policy_permissions = {"get": None}

    def get(self, request):
        return Response({})

    def post(self, request):
        return Response({})


def test_a_view_that_does_not_declare_its_permissions_fails_loudly():
    request = APIRequestFactory().get("/")
    with pytest.raises(ImproperlyConfigured):
        UndeclaredView.as_view()(request)
    with pytest.raises(ImproperlyConfigured):
        HalfDeclaredView.as_view()(APIRequestFactory().post("/"))
    assert HalfDeclaredView.as_view()(request).status_code == 200
    assert HalfDeclaredView.as_view()(APIRequestFactory().delete("/")).status_code == 405
