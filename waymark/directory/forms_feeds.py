"""The form staff register a neighbour's feed with. The address is checked by the service, which names the
field it refuses, so nothing typed is lost."""

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.directory.models import Feed, TaxonomyTerm


class FeedForm(forms.ModelForm):
    needs = forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.select_related("taxonomy").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Needs it covers"),
        help_text=_(
            "Every service read from this feed is listed under these needs too. Leave empty if it covers many."
        ),
    )

    class Meta:
        model = Feed
        fields = [
            "name",
            "url",
            "publisher_name",
            "publisher_identifier",
            "needs",
            "read_every",
            "grace_days",
            "active",
        ]
        widgets = {"read_every": forms.RadioSelect}
