"""The consultation form: what a body plans to ask, of whom, when. It checks and tidies what people type and
never saves: ``partnership.services.consultations`` does the writing."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.core import policy
from waymark.core.forms import PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Organisation
from waymark.core.roles import Role
from waymark.partnership.models import Consultation, Partnership
from waymark.partnership.permissions import STAFF_ROLES


class ConsultationForm(PlainErrorsMixin, forms.ModelForm):
    """A consultation's particulars and who it asks about what; its status moves on its own page."""

    class Meta:
        model = Consultation
        fields = [
            "title",
            "purpose",
            "lead_organisation",
            "partnership",
            "communities",
            "themes",
            "areas",
            "starts_on",
            "ends_on",
            "method",
            "contact_name",
            "contact_email",
            "contact_phone",
            "public_link",
            "published",
        ]
        field_classes = {
            "starts_on": date_field(_("the date the consultation starts")),
            "ends_on": date_field(_("the date the consultation ends")),
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "communities": forms.CheckboxSelectMultiple,
            "themes": forms.SelectMultiple(attrs={"size": 10}),
            "areas": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "communities": _("The communities you will ask. Others planning to ask them are told of yours."),
            "themes": _("What you will ask about. Hold Ctrl (or Cmd) to choose more than one."),
            "contact_name": _("Who other bodies should talk to about combining consultations."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_organisation"]
        partnership = self.fields["partnership"]
        assert isinstance(lead, forms.ModelChoiceField)
        assert isinstance(partnership, forms.ModelChoiceField)
        keep = [self.instance.lead_organisation_id] if self.instance.lead_organisation_id else []
        if policy.roles(user) & STAFF_ROLES:
            offered = Organisation.objects.visible_to(user).filter(active=True)
        else:  # a responder leads consultations for their own organisations only
            offered = Organisation.objects.filter(pk__in=policy.organisation_ids(user, Role.RESPONDER))
        lead.queryset = Organisation.objects.filter(Q(pk__in=offered.values("pk")) | Q(pk__in=keep)).order_by("name")
        partnership.queryset = Partnership.objects.visible_to(user).order_by("name")
        self.fields["communities"].required = True
        self.fields["themes"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return cleaned

    def particulars(self) -> dict[str, Any]:
        """The values the service writes on the consultation itself (its many-to-many fields go apart)."""
        many = {"communities", "themes", "areas"}
        return {name: value for name, value in self.cleaned_data.items() if name not in many}


class ConsultationMoveForm(forms.Form):
    status = forms.CharField(max_length=12)
