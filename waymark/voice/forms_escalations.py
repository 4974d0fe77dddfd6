"""Forms of triage, issues, escalations, answers and closure days. They validate; the services act."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import RoleGrant, User
from waymark.core.forms_dates import date_field
from waymark.core.models import Community, Organisation, Theme
from waymark.core.roles import Role
from waymark.core.uploads import UploadValidator
from waymark.voice.models import ClosureDay, Escalation, Issue, Response, ResponseOutcome

DOCUMENT_KINDS = ["pdf", "doc", "docx", "odt", "txt", "eml", "msg", "png", "jpg"]


def _refuse_nul(value: str) -> None:
    if "\x00" in value:
        raise forms.ValidationError(_("Remove the invisible NUL character from the text."))


class NoNulMixin:
    """Text with a NUL character is refused with a message, keeping what was typed."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Remove the invisible NUL character from the text."))  # type: ignore[attr-defined]
        return cleaned


def staff_users() -> Any:
    """People who can own an issue: current staff and administrators."""
    user_ids = RoleGrant.objects.current().filter(role__in=[Role.STAFF, Role.ADMIN]).values("user_id")
    return User.objects.filter(is_active=True, pk__in=user_ids).order_by("full_name", "username")


class IssueForm(NoNulMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["title", "description", "owner", "themes", "communities"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "themes": forms.CheckboxSelectMultiple,
            "communities": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _(
                "Say what is wrong in a sentence, for example: women on Ash ward cannot see a female "
                "counsellor who speaks Urdu."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = staff_users()
        owner.empty_label = _("Nobody yet")
        themes: Any = self.fields["themes"]
        themes.queryset = Theme.objects.order_by("name")
        communities: Any = self.fields["communities"]
        communities.queryset = Community.objects.order_by("name")


class EscalationForm(NoNulMixin, forms.ModelForm):
    working_days = forms.IntegerField(
        label=_("Working days to answer"),
        min_value=1,
        max_value=120,
        help_text=_("Weekends, bank holidays in England and closure days are not counted."),
    )

    class Meta:
        model = Escalation
        fields = ["responder", "question", "contact_email"]
        widgets = {"question": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, default_working_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        responder: Any = self.fields["responder"]
        responder.queryset = Organisation.objects.filter(active=True).order_by("name")
        responder.empty_label = _("Choose an organisation")
        self.fields["working_days"].initial = default_working_days
        self.fields["contact_email"].help_text = _(
            "Used only when the organisation has nobody with a responder account: a signed link to answer is "
            "sent here. Leave empty to use the organisation's own e-mail address."
        )


class ResponseForm(NoNulMixin, forms.ModelForm):
    """The answer, as the responder gives it (signed in or through a signed link)."""

    class Meta:
        model = Response
        fields = ["text", "outcome", "reasons", "what_changed", "responder_name"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8}),
            "outcome": forms.RadioSelect,
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "what_changed": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"responder_name": _("Your name and role, as it may appear beside the answer.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome: Any = self.fields["outcome"]
        outcome.choices = list(ResponseOutcome.choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("outcome") in {ResponseOutcome.PARTLY, ResponseOutcome.DECLINED}
            and not (cleaned.get("reasons") or "").strip()
        ):
            self.add_error("reasons", _("Give the reasons when the request is partly or not accepted."))
        return cleaned

    def _post_clean(self) -> None:
        """The service validates the whole answer against its escalation; here only the fields are checked."""


class OnBehalfResponseForm(ResponseForm):
    """An answer that came by letter or e-mail, recorded by staff with the document attached."""

    received_by = forms.ChoiceField(
        label=_("How did the answer arrive?"),
        choices=[("letter", _("By letter")), ("email", _("By e-mail"))],
        widget=forms.RadioSelect,
    )
    document = forms.FileField(
        label=_("The letter or e-mail"),
        help_text=_("A PDF, Word document, e-mail file or photo, up to 10 MB."),
        validators=[UploadValidator("documents", DOCUMENT_KINDS)],
    )

    class Meta(ResponseForm.Meta):
        help_texts = {"responder_name": _("Who signed the letter or sent the e-mail, and their role.")}


class CloseEscalationForm(forms.Form):
    note = forms.CharField(
        label=_("What happened in the end"),
        help_text=_("What changed for people, or why nothing will. This closes the escalation."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5_000,
        validators=[_refuse_nul],
    )


class ClosureDayForm(NoNulMixin, forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]
        field_classes = {"date": date_field(_("the day it is closed"))}
        help_texts = {"reason": _("For example: office closed between Christmas and New Year.")}


class AnswerLinkForm(forms.Form):
    send_to = forms.EmailField(
        label=_("Send the link to"), help_text=_("The organisation's nominated contact for answers.")
    )
