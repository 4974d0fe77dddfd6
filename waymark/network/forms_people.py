"""Forms for contacts, networks, memberships, terms of reference, task groups, distribution lists,
bulletins, the contact import and the manage-subscriptions page. They only collect and check input;
saving goes through ``network.services.people`` and ``network.services.bulletins``."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.core.forms_dates import date_field
from waymark.core.models import Organisation
from waymark.core.uploads import UploadValidator
from waymark.network.membership import current_members
from waymark.network.models import (
    Bulletin,
    Contact,
    DistributionList,
    Membership,
    Network,
    TaskGroup,
    TermsOfReference,
)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "email",
            "phone",
            "job_title",
            "organisation",
            "sector",
            "interests",
            "preferred_language",
            "consent_to_contact",
            "lawful_basis",
            "consent_date",
            "notes",
        ]
        widgets = {"interests": forms.CheckboxSelectMultiple}
        field_classes = {"consent_date": date_field(_("the date consent was given"))}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        organisation.queryset = Organisation.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and Contact.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another contact already has this e-mail address."))
        return email


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "slug", "description", "organisation"]


class MembershipForm(forms.ModelForm):
    """Add someone to a network."""

    class Meta:
        model = Membership
        fields = ["contact", "role", "joined"]
        field_classes = {"joined": date_field(_("the date they joined"))}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        contact = self.fields["contact"]
        contact.queryset = Contact.objects.exclude(  # type: ignore[attr-defined]
            memberships__network=network, memberships__left__isnull=True
        ).select_related("organisation")
        contact.label_from_instance = lambda c: f"{c.name} ({c.organisation})" if c.organisation else c.name  # type: ignore[attr-defined]


class MembershipChangeForm(forms.ModelForm):
    """Change someone's role, or record the day they left."""

    class Meta:
        model = Membership
        fields = ["role", "joined", "left"]
        field_classes = {"joined": date_field(_("the date they joined")), "left": date_field(_("the date they left"))}


class TermsOfReferenceForm(forms.ModelForm):
    class Meta:
        model = TermsOfReference
        fields = ["text", "approved_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}
        field_classes = {"approved_on": date_field(_("the date it was approved"))}


def _current_members_field(field: forms.Field, network: Network) -> None:
    field.queryset = current_members(network).order_by("name")  # type: ignore[attr-defined]


class TaskGroupForm(forms.ModelForm):
    class Meta:
        model = TaskGroup
        fields = ["name", "purpose", "members", "start", "end"]
        widgets = {"members": forms.CheckboxSelectMultiple}
        field_classes = {
            "start": date_field(_("the date the group starts")),
            "end": date_field(_("the date the group ends")),
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _current_members_field(self.fields["members"], network)


class DistributionListForm(forms.ModelForm):
    class Meta:
        model = DistributionList
        fields = ["name", "description", "all_members", "rule_sectors", "rule_interests", "static_members"]
        widgets = {
            "rule_sectors": forms.CheckboxSelectMultiple,
            "rule_interests": forms.CheckboxSelectMultiple,
            "static_members": forms.SelectMultiple(attrs={"size": 10}),
        }
        help_texts = {
            "rule_sectors": _("For example, choose Housing for “all housing members”."),
            "static_members": _("People who get it whatever the rule says, members or not."),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (
            cleaned.get("all_members")
            or cleaned.get("rule_sectors")
            or cleaned.get("rule_interests")
            or cleaned.get("static_members")
        ):
            raise forms.ValidationError(_("Choose who the list reaches: a rule, chosen people, or both."))
        return cleaned


class BulletinForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["subject", "distribution_list", "body", "in_public_archive"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["distribution_list"]
        field.queryset = network.distribution_lists.all()  # type: ignore[attr-defined]


class ContactImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        validators=[UploadValidator("contacts", ["csv", "xlsx"])],
        help_text=_(
            "CSV or XLSX with the headings name, email, phone, job_title, organisation, sector, interests, "
            "preferred_language, consent_to_contact, lawful_basis, consent_date. Only name and email are needed."
        ),
    )
    network = forms.ModelChoiceField(
        queryset=Network.objects.all(),
        required=False,
        label=_("Make everyone a member of"),
        empty_label=_("No network"),
    )
    blanks_clear = forms.BooleanField(
        required=False,
        label=_("Blank cells clear fields"),
        help_text=_(
            "Without this, a blank cell leaves what Waymark already holds. "
            "A column the file does not have always leaves that field as it is."
        ),
    )


class SubscriptionsForm(forms.Form):
    """A contact's own choices: which lists to keep, or no network e-mail at all."""

    lists = forms.ModelMultipleChoiceField(
        queryset=DistributionList.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Lists you get"),
        help_text=_("Untick a list to stop getting it."),
    )
    stop_all = forms.BooleanField(required=False, label=_("Stop all e-mail from these networks"))

    def __init__(self, *args: Any, choices: list[DistributionList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lists"]
        field.queryset = DistributionList.objects.filter(pk__in=[item.pk for item in choices]).select_related(  # type: ignore[attr-defined]
            "network"
        )
        field.label_from_instance = lambda item: f"{item.name} ({item.network.name})"  # type: ignore[attr-defined]


class ManageLinkRequestForm(forms.Form):
    """Ask for a new manage-subscriptions link when an old one has expired or been withdrawn."""

    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("The address our e-mails reach you at."), max_length=254
    )
