"""The upload form of an actions import; it checks the file's type and size, the service reads it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.core.uploads import UploadValidator
from waymark.plans.action_sheets import KINDS, UPLOAD_LIMITS


class ActionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        validators=[UploadValidator(UPLOAD_LIMITS, KINDS)],
        help_text=_(
            "CSV or XLSX with the columns of the download: objective number, action number, title, description, "
            "lead organisation, lead, due date, status, progress, RAG, RAG reason, evidence. Only the two numbers "
            "are needed; a column the file does not have is left as it is."
        ),
    )
