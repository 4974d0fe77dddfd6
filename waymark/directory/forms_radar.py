"""The fragility radar's filters: the funding window, the reason, and the organisation's name and type, so a
commissioner with hundreds of groups on the radar can find the ones they fund."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.core.choices import OrganisationType
from waymark.core.models import Organisation
from waymark.directory import fragility


class RadarFilterForm(forms.Form):
    mark_optional_fields = False
    window = forms.TypedChoiceField(
        label=gettext_lazy("Funding ending within"),
        choices=[],
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("Every reason")),
            (fragility.Reason.FUNDING_ENDS, gettext_lazy("Funding ending")),
            (fragility.Reason.FUNDING_ENDED, gettext_lazy("Funding ended in the last 3 months")),
            (fragility.Reason.VOLUNTEER_RUN, gettext_lazy("Volunteer-run")),
            (fragility.Reason.SINGLE_FUNDER, gettext_lazy("Single funder")),
        ],
    )
    q = forms.CharField(label=gettext_lazy("Organisation name contains"), required=False, max_length=100)
    org_type = forms.ChoiceField(
        label=gettext_lazy("Type of organisation"),
        required=False,
        choices=[("", gettext_lazy("Any type")), *OrganisationType.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        window = cast(forms.TypedChoiceField, self.fields["window"])
        window.choices = [(months, _("%(months)d months") % {"months": months}) for months in fragility.WINDOW_MONTHS]

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data["q"]).replace("\x00", "").split())

    def narrow(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """The organisations whose name and type match; call after ``is_valid()``."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            organisations = organisations.filter(name__icontains=data["q"])
        if data.get("org_type"):
            organisations = organisations.filter(org_type=data["org_type"])
        return organisations
