"""Type-ahead pickers: which selects the form renderer marks, and the organisations look-up."""

import pytest
from django import forms
from django.urls import reverse

from waymark.core.factories import OrganisationFactory
from waymark.core.models import Language, Organisation
from waymark.core.pickers import LOOKUP_LIMIT, matching
from waymark.core.roles import Role


class ChoosingForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    by_uuid = forms.ModelChoiceField(queryset=Organisation.objects.all(), to_field_name="uuid")
    by_name = forms.ModelChoiceField(queryset=Organisation.objects.all(), to_field_name="name")
    as_radios = forms.ModelChoiceField(queryset=Organisation.objects.all(), widget=forms.RadioSelect)
    several = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all())
    ticked = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all(), widget=forms.CheckboxSelectMultiple)
    language = forms.ModelChoiceField(queryset=Language.objects.all())


@pytest.mark.django_db
def test_only_a_select_of_a_registered_model_is_marked_for_the_type_ahead():
    form = ChoosingForm()
    lookup = reverse("core:organisation_lookup")
    assert f'data-picker="{lookup}"' in str(form["organisation"])
    assert f'data-picker="{lookup}?key=uuid"' in str(form["by_uuid"])
    # Chosen by a key the look-up does not answer with, as radios or checkboxes, several at once (not yet), or a
    # model with no look-up: left as they are.
    for name in ("by_name", "as_radios", "ticked", "several", "language"):
        assert "data-picker" not in str(form[name]), name


@pytest.mark.django_db
def test_every_word_typed_must_match_in_some_field():
    wanted = OrganisationFactory(name="Riverside Wellbeing", alternate_name="RWC")
    OrganisationFactory(name="Riverside Food Bank")
    found = matching(Organisation.objects.all(), "rwc riverside", ("name", "alternate_name"))
    assert list(found) == [wanted]


@pytest.mark.django_db
def test_organisation_lookup_offers_only_what_the_organisations_list_shows(client, make_persona, verified_login):
    shown = OrganisationFactory(name="Harbour Trust", town="Eastham")
    OrganisationFactory(name="Harbour Closed Charity", active=False)
    responder = make_persona(Role.RESPONDER, organisation=shown)
    verified_login(client, responder)
    response = client.get(reverse("core:organisation_lookup"), {"q": "harbour"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"value": str(shown.pk), "label": "Harbour Trust", "hint": "Charity, Eastham"}]
    }
    assert "no-store" in response["Cache-Control"]
    by_uuid = client.get(reverse("core:organisation_lookup"), {"q": "harbour", "key": "uuid"}).json()["results"]
    assert [row["value"] for row in by_uuid] == [str(shown.uuid)]
    # Staff see inactive organisations on the list page too.
    verified_login(client, make_persona(Role.STAFF))
    labels = [
        row["label"] for row in client.get(reverse("core:organisation_lookup"), {"q": "harbour"}).json()["results"]
    ]
    assert labels == ["Harbour Closed Charity", "Harbour Trust"]


@pytest.mark.django_db
def test_organisation_lookup_sends_nothing_for_nothing_typed_and_at_most_a_screenful(
    client, make_persona, verified_login
):
    OrganisationFactory.create_batch(LOOKUP_LIMIT + 3, name="Harbour group")
    verified_login(client, make_persona(Role.STAFF))
    url = reverse("core:organisation_lookup")
    assert client.get(url).json() == {"results": []}
    assert client.get(url, {"q": "   "}).json() == {"results": []}
    assert len(client.get(url, {"q": "harbour"}).json()["results"]) == LOOKUP_LIMIT


@pytest.mark.django_db
def test_organisation_lookup_is_not_for_the_public(client, user_factory):
    response = client.get(reverse("core:organisation_lookup"), {"q": "a"})
    assert response.status_code == 302
    client.force_login(user_factory())
    assert client.get(reverse("core:organisation_lookup"), {"q": "a"}).status_code == 403
