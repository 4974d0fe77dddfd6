"""Forms of the action pages: an action with its partner organisations, the lead's update, milestones and
evidence. They check and tidy what people type; ``plans.services`` writes."""

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import RoleGrant, User
from waymark.core.forms import PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Organisation
from waymark.core.roles import WORKING_ROLES
from waymark.core.uploads import UploadValidator, describe_bytes, upload_limits
from waymark.plans.choices import PartnerRole
from waymark.plans.models import Action, ActionEvidence, Milestone
from waymark.plans.services.evidence import EVIDENCE_KINDS, EVIDENCE_LIMITS

PARTNER_ROWS = 3  # empty partner rows offered below the saved ones


def lead_choices(current_lead_id: int | None = None) -> QuerySet[User]:
    """Who may be named as an action's lead: anyone holding a working role today (staff, responders, analysts,
    administrators), and whoever leads it now, so an unrelated edit never fails on a departed lead."""
    working = RoleGrant.objects.current().filter(role__in=WORKING_ROLES).values("user_id")
    leads = Q(pk__in=working, is_active=True)
    if current_lead_id is not None:
        leads |= Q(pk=current_lead_id)
    return User.objects.filter(leads).order_by("full_name", "username")


def organisation_choices(user: Any, *current_ids: int | None) -> QuerySet[Organisation]:
    """Active organisations the user sees, and those the action names now."""
    chosen = Q(active=True) | Q(pk__in=[pk for pk in current_ids if pk is not None])
    return Organisation.objects.visible_to(user).filter(chosen).order_by("name")


class ActionForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["code", "title", "description", "lead_organisation", "lead", "due_date"]
        labels = {
            "code": _("Number"),
            "title": _("What will be done"),
            "description": _("Description"),
            "lead_organisation": _("Lead organisation"),
            "lead": _("Named lead"),
            "due_date": _("Due by"),
        }
        help_texts = {
            "lead": _("The person who updates the action. They are reminded when it goes without an update."),
            "due_date": _("Within the plan's period."),
        }
        error_messages = {
            "code": {"required": _("Enter the action's number, like 2.3")},
            "title": {"required": _("Say what will be done")},
            "lead_organisation": {
                "required": _("Select the lead organisation"),
                "invalid_choice": _("Select the lead organisation from the list"),
            },
            "lead": {"invalid_choice": _("Select the named lead from the list")},
            "due_date": {"required": _("Enter the date it is due by")},
        }
        widgets = {
            "code": forms.TextInput(attrs={"class": "nhsuk-input--width-5", "spellcheck": "false"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"due_date": date_field(_("the date it is due by"))}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        organisation = cast(forms.ModelChoiceField, self.fields["lead_organisation"])
        organisation.queryset = organisation_choices(user, instance.lead_organisation_id)
        organisation.empty_label = _("Select an organisation")
        lead = cast(forms.ModelChoiceField, self.fields["lead"])
        lead.queryset = lead_choices(instance.lead_id)
        lead.empty_label = _("Nobody named yet")

    def _post_clean(self) -> None:
        """The service validates the whole action (its due date against the plan, its number); here only the
        fields are checked, and the saved action is left as it was until the service changes it."""

    def action_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]


class PartnerForm(forms.Form):
    """One partner organisation and its part in the action; a row left without an organisation is ignored."""

    mark_optional_fields = False
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select the organisation from the list")},
    )
    role = forms.ChoiceField(label=_("Its part"), choices=PartnerRole.choices, initial=PartnerRole.PARTNER)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


class BasePartnerFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        seen: set[int] = set()
        for form in self.forms:
            organisation = form.cleaned_data.get("organisation") if hasattr(form, "cleaned_data") else None
            if organisation is None:
                continue
            if organisation.pk in seen:
                form.add_error("organisation", _("%(name)s is listed twice.") % {"name": organisation.name})
            seen.add(organisation.pk)

    def partners(self) -> list[tuple[Organisation, str]]:
        return [
            (form.cleaned_data["organisation"], form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data.get("organisation") is not None
        ]


PartnerFormSet = forms.formset_factory(PartnerForm, formset=BasePartnerFormSet, extra=PARTNER_ROWS)


def partner_formset(data: Any, *, user: Any, action: Action | None = None) -> BasePartnerFormSet:
    """The action's partners as rows, with empty rows below for more."""
    parts = list(action.partners.all()) if action is not None else []
    initial = [{"organisation": part.organisation_id, "role": part.role} for part in parts]
    organisations = organisation_choices(user, *(part.organisation_id for part in parts))
    return cast(
        BasePartnerFormSet,
        PartnerFormSet(data, prefix="partners", initial=initial, form_kwargs={"organisations": organisations}),
    )


class ActionUpdateForm(PlainErrorsMixin, forms.ModelForm):
    """The lead's update. The service refuses red or amber (or any change of rating) without a reason."""

    mark_optional_fields = False  # the reason is needed or not by the rating; the hint says when

    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        help_text=_("How much of the action is done, from 0 to 100. A complete action counts as 100."),
        error_messages={
            "required": _("Enter the progress, from 0 to 100"),
            "invalid": _("Enter the progress as a whole number, from 0 to 100"),
            "min_value": _("Progress cannot be less than 0"),
            "max_value": _("Progress cannot be more than 100"),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
    )

    class Meta:
        model = Action
        fields = ["status", "progress", "rag", "rag_reason", "evidence"]
        labels = {
            "status": _("Status"),
            "rag": _("RAG rating"),
            "rag_reason": _("Reason for the rating"),
            "evidence": _("Evidence"),
        }
        help_texts = {
            "rag_reason": _("Needed for red and amber, and whenever the rating changes. Kept in the action's history."),
            "evidence": _("What has been done, and where it shows. Add links and files below."),
        }
        error_messages = {
            "status": {"required": _("Select the status"), "invalid_choice": _("Select the status")},
            "rag": {"invalid_choice": _("Select the RAG rating")},
        }
        widgets = {
            "status": forms.RadioSelect,
            "rag": forms.RadioSelect,
            "rag_reason": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 5}),
        }

    def _post_clean(self) -> None:
        """The service checks the rating against its reason; the saved action stays as it was until then."""

    def update_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]


class MilestoneForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        labels = {"title": _("Milestone"), "due_date": _("Due by")}
        help_texts = {"due_date": _("Within the plan's period.")}
        error_messages = {
            "title": {"required": _("Say what the milestone is")},
            "due_date": {"required": _("Enter the date it is due by")},
        }
        field_classes = {"due_date": date_field(_("the date it is due by"))}

    def _post_clean(self) -> None:
        """The service checks the date against the plan's period."""

    def milestone_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]


class EvidenceForm(PlainErrorsMixin, forms.ModelForm):
    """A link or a file that shows what was done."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[UploadValidator(EVIDENCE_LIMITS, EVIDENCE_KINDS)],
    )

    class Meta:
        model = ActionEvidence
        fields = ["title", "url"]
        labels = {"title": _("Title"), "url": _("Link")}
        help_texts = {
            "title": _("What it is, for example: minutes of the co-production group, March 2026."),
            "url": _("Like https://www.example.org/report. Leave empty to upload a file instead."),
        }
        error_messages = {
            "title": {"required": _("Give the evidence a title")},
            "url": {"invalid": _("Enter a link in the correct format, like https://www.example.org/report")},
        }
        widgets = {"url": forms.URLInput(attrs={"spellcheck": "false"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = describe_bytes(upload_limits(EVIDENCE_LIMITS).max_bytes)
        self.fields["file"].help_text = _(
            "A PDF, Word or OpenDocument document, spreadsheet, text file or photo, up to %(limit)s."
        ) % {"limit": limit}

    def _post_clean(self) -> None:
        """The service checks that there is a link or a file, not both."""

    def evidence_data(self) -> dict[str, Any]:
        return {"title": self.cleaned_data["title"], "url": self.cleaned_data["url"]}
