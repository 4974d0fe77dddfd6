"""The CDW team form: its name, employer, line manager and workers. It checks and tidies what people type and
never saves: ``partnership.services.teams`` writes."""

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import RoleGrant, User
from waymark.core.forms import PlainErrorsMixin
from waymark.core.models import Organisation
from waymark.core.roles import WORKING_ROLES, Role
from waymark.partnership.models import CdwTeam


def _users(roles: frozenset[str] | set[str], *keep: int) -> QuerySet[User]:
    """Active users holding one of ``roles`` today, and those the team names now (so an unrelated edit never
    fails on someone whose grant has ended)."""
    holders = RoleGrant.objects.current().filter(role__in=roles).values("user_id")
    return User.objects.filter(Q(pk__in=holders, is_active=True) | Q(pk__in=keep)).order_by("full_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name()


class TeamForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = CdwTeam
        fields = ["name", "organisation", "manager", "workers"]
        field_classes = {"manager": PersonChoiceField, "workers": PeopleChoiceField}
        labels = {"name": _("Team name"), "organisation": _("Employer"), "manager": _("Line manager")}
        help_texts = {
            "manager": _("Sees each worker's balance and entries, and the team's totals."),
            "workers": _(
                "Community development workers with a staff role. Each sees their own balance and the team's totals."
            ),
        }
        error_messages = {
            "name": {"required": _("Enter the team's name"), "unique": _("Another team has this name.")},
            "organisation": {
                "required": _("Select the employer"),
                "invalid_choice": _("Select the employer from the list"),
            },
            "manager": {
                "required": _("Select the line manager"),
                "invalid_choice": _("Select the line manager from the list"),
            },
            "workers": {"invalid_choice": _("Select the workers from the list")},
        }
        widgets = {"workers": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.instance
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        keep_organisation = [team.organisation_id] if team.organisation_id else []
        organisation.queryset = Organisation.objects.filter(Q(active=True) | Q(pk__in=keep_organisation)).order_by(
            "name"
        )
        organisation.empty_label = _("Select an organisation")
        manager = cast(forms.ModelChoiceField, self.fields["manager"])
        manager.queryset = _users(WORKING_ROLES, *([team.manager_id] if team.manager_id else []))
        manager.empty_label = _("Select a person")
        workers = cast(forms.ModelMultipleChoiceField, self.fields["workers"])
        current = list(team.workers.values_list("pk", flat=True)) if team.pk else []
        workers.queryset = _users({Role.STAFF}, *current)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        manager, workers = cleaned.get("manager"), cleaned.get("workers")
        if manager is not None and workers is not None and manager in workers:
            self.add_error("workers", _("The line manager cannot also be one of the team's workers."))
        return cleaned

    def particulars(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "organisation", "manager")}
