"""The staff form for an application taken by phone, video, on paper or in person: how it came, then the
applicant's own forms (``forms_apply``) on one page, since staff type it in one sitting."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import PlainErrorsMixin
from waymark.grants.choices import Channel
from waymark.grants.models import Programme


class EntryForm(PlainErrorsMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("How did the application reach you?"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.ONLINE],
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("The applicant's language"), help_text=_("We write to them, and send the award letter, in it.")
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [(code, names[code]) for code in programme.offered_languages]  # type: ignore[attr-defined]
        self.fields["channel"].error_messages["required"] = _("Say how the application reached you")
