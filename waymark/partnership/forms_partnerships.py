"""Forms of the partnership pages: its particulars, its members as rows, and the who-does-what matrix. They
check and tidy what people type and never save: ``partnership.services.partnerships`` writes."""

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import RoleGrant, User
from waymark.core.choices import AreaType
from waymark.core.forms import DateField, PlainErrorsMixin
from waymark.core.models import Area, Organisation
from waymark.network.models import MeetingSeries, Network
from waymark.partnership.choices import ResponsibilityLevel
from waymark.partnership.matrix import Matrix
from waymark.partnership.models import Partnership, PartnershipMember
from waymark.partnership.services.partnerships import MemberRow, member_problems, people_at
from waymark.plans.models import Plan

MEMBER_ROWS = 2  # empty member rows offered below the saved ones
# A partnership works for a place people name: not a statistical small area.
PARTNERSHIP_AREA_TYPES = (
    AreaType.LOCAL_AUTHORITY,
    AreaType.WARD,
    AreaType.ICB,
    AreaType.SUB_ICB,
    AreaType.REGION,
)
NO_PART = "none"  # the matrix's "no part" choice: every cell is sent, so a cell missing from a POST is an error


def _keeping(queryset: QuerySet, *current_ids: Any) -> QuerySet:
    """``queryset``, and the rows the partnership names now, so an unrelated edit never fails on them."""
    model = queryset.model
    return model._default_manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=[pk for pk in current_ids if pk]))


class SeriesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.network.name})"


class PartnershipForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "purpose", "area", "network", "meeting_series", "plans", "terms_of_reference"]
        field_classes = {"meeting_series": SeriesChoiceField}
        labels = {"network": _("Meets as the network"), "meeting_series": _("Its meetings")}
        help_texts = {
            "purpose": _("What the partners mean to achieve together: its agenda in a few sentences."),
            "network": _(
                "When the partnership meets as a network, its meetings, minutes and terms of reference are "
                "that network's."
            ),
            "meeting_series": _("The regular meetings where the partnership meets and takes its decisions."),
            "plans": _(
                "The race equality plans the partners deliver together: the who-does-what matrix lists "
                "their objectives."
            ),
            "terms_of_reference": _(
                "Leave empty when the partnership meets as a network and uses that network's terms of reference."
            ),
        }
        error_messages = {
            "name": {"required": _("Enter the partnership's name")},
            "area": {"invalid_choice": _("Select the area from the list")},
            "network": {"invalid_choice": _("Select the network from the list")},
            "meeting_series": {"invalid_choice": _("Select its meetings from the list")},
            "plans": {"invalid_choice": _("Select the plans from the list")},
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 8}),
            "meeting_series": forms.CheckboxSelectMultiple,
            "plans": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        saved_series = list(instance.meeting_series.values_list("pk", flat=True)) if instance.pk else []
        saved_plans = list(instance.plans.values_list("pk", flat=True)) if instance.pk else []
        area = cast(forms.ModelChoiceField, self.fields["area"])
        area.queryset = _keeping(Area.objects.filter(area_type__in=PARTNERSHIP_AREA_TYPES), instance.area_id)
        area.empty_label = _("The whole borough")
        network = cast(forms.ModelChoiceField, self.fields["network"])
        network.queryset = _keeping(Network.objects.visible_to(user), instance.network_id).order_by("name")
        network.empty_label = _("It does not meet as a network")
        series = cast(forms.ModelMultipleChoiceField, self.fields["meeting_series"])
        series.queryset = (
            _keeping(MeetingSeries.objects.visible_to(user), *saved_series)
            .select_related("network")
            .order_by("network__name", "title")
        )
        plans = cast(forms.ModelMultipleChoiceField, self.fields["plans"])
        plans.queryset = _keeping(Plan.objects.visible_to(user), *saved_plans).order_by("title")

    def _post_clean(self) -> None:
        """The service checks the whole partnership; the saved one is left as it was until it changes it."""

    def partnership_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "purpose", "terms_of_reference", "network", "area")}

    def relations(self) -> dict[str, Any]:
        return {"meeting_series": self.cleaned_data["meeting_series"], "plans": self.cleaned_data["plans"]}


def _person_name(user: User) -> str:
    return user.get_full_name()


class MemberForm(forms.Form):
    """One member organisation, the person who speaks for it and their deputy; a row left without an
    organisation is ignored, and a saved one is taken off with "Take it off"."""

    mark_optional_fields = False
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select the organisation from the list")},
    )
    lead = forms.TypedChoiceField(
        label=_("Named lead"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Someone with a role at the organisation, listed under it."),
        error_messages={"invalid_choice": _("Select the named lead from the list")},
    )
    deputy = forms.TypedChoiceField(
        label=_("Deputy"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Select the deputy from the list")},
    )
    joined_on = DateField(label=_("Joined on"), subject=_("the date it joined"), required=False)
    left_on = DateField(
        label=_("Left on"),
        subject=_("the date it left"),
        required=False,
        help_text=_("When it leaves, keep the row and give the day: its past parts stay on record."),
    )
    remove = forms.BooleanField(label=_("Take it off the list (it was added by mistake)"), required=False)

    def __init__(self, *args: Any, organisations: QuerySet, people: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        for name, empty in (("lead", _("Nobody named yet")), ("deputy", _("No deputy yet"))):
            cast(forms.TypedChoiceField, self.fields[name]).choices = [("", empty), *people]


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, saved: dict[int, PartnershipMember], users: dict[int, User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.saved = saved
        self.users = users

    def _row(self, form: forms.Form) -> MemberRow | None:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("organisation") is None or data.get("remove"):
            return None
        return MemberRow(
            organisation=data["organisation"],
            lead=self.users.get(data["lead"]) if data.get("lead") else None,
            deputy=self.users.get(data["deputy"]) if data.get("deputy") else None,
            joined_on=data.get("joined_on"),
            left_on=data.get("left_on"),
        )

    def clean(self) -> None:
        """Each row checked as the service will, so its refusals land on the field they are about."""
        rows = [(form, self._row(form)) for form in self.forms]
        people = people_at(row.organisation.pk for _form, row in rows if row is not None)
        seen: set[int] = set()
        for form, row in rows:
            if row is None:
                continue
            if row.organisation.pk in seen:
                form.add_error("organisation", _("%(name)s is listed twice.") % {"name": row.organisation.name})
            seen.add(row.organisation.pk)
            saved = self.saved.get(row.organisation.pk)
            for name, problem in member_problems(row, saved, people.get(row.organisation.pk, set())).items():
                form.add_error(name, problem)

    def rows(self) -> list[MemberRow]:
        return [row for row in (self._row(form) for form in self.forms) if row is not None]


MemberFormSet = cast(
    type[BaseMemberFormSet], forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=MEMBER_ROWS)
)


def member_formset(data: Any, *, user: Any, partnership: Partnership) -> BaseMemberFormSet:
    """The partnership's members as rows, with empty rows below for more. A lead or deputy is chosen from
    the people with a role at an organisation today, listed under its name, and whoever is named now."""
    members = list(partnership.members.select_related("organisation", "lead", "deputy"))
    saved = {member.organisation_id: member for member in members}
    organisations = _keeping(Organisation.objects.visible_to(user).filter(active=True), *saved).order_by("name")
    grants = (
        RoleGrant.objects.current()
        .filter(organisation__in=organisations, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name", "user__username")
    )
    groups: dict[str, dict[int, str]] = {}
    users: dict[int, User] = {}
    for grant in grants:
        assert grant.organisation is not None
        groups.setdefault(grant.organisation.name, {})[grant.user_id] = _person_name(grant.user)
        users[grant.user_id] = grant.user
    for member in members:  # whoever is named now, under their organisation, even if their role has ended
        for person in (member.lead, member.deputy):
            if person is not None:
                groups.setdefault(member.organisation.name, {}).setdefault(person.pk, _person_name(person))
                users[person.pk] = person
    people = [(name, sorted(choices.items(), key=lambda item: item[1])) for name, choices in sorted(groups.items())]
    initial = [
        {
            "organisation": member.organisation_id,
            "lead": member.lead_id,
            "deputy": member.deputy_id,
            "joined_on": member.joined_on,
            "left_on": member.left_on,
        }
        for member in members
    ]
    return cast(
        BaseMemberFormSet,
        MemberFormSet(
            data,
            prefix="members",
            initial=initial,
            form_kwargs={"organisations": organisations, "people": people},
            saved=saved,
            users=users,
        ),
    )


class MatrixForm(forms.Form):
    """One choice per cell of the matrix: the partner's part in the objective, or no part."""

    def __init__(self, *args: Any, matrix: Matrix, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NO_PART, _("No part")), *ResponsibilityLevel.choices]
        self.cells: dict[str, tuple[int, int]] = {}
        for group in matrix.plans:
            for row in group.rows:
                for cell in row.cells:
                    name = self.name_of(row.objective.pk, cell.organisation.pk)
                    label = _("%(organisation)s’s part in objective %(code)s, %(title)s") % {
                        "organisation": cell.organisation.name,
                        "code": row.objective.code,
                        "title": row.objective.title,
                    }
                    self.fields[name] = forms.ChoiceField(
                        label=label,
                        choices=choices,
                        initial=cell.level or NO_PART,
                        error_messages={
                            "required": _("Choose %(label)s") % {"label": label},
                            "invalid_choice": _("Choose %(label)s from the list") % {"label": label},
                        },
                    )
                    self.cells[name] = (row.objective.pk, cell.organisation.pk)

    @staticmethod
    def name_of(objective_id: int, organisation_id: int) -> str:
        return f"cell_{objective_id}_{organisation_id}"

    def rows(self, matrix: Matrix) -> list[tuple[Any, list[tuple[Any, list[forms.BoundField]]]]]:
        """For the page: each plan with its objectives' rows, each row with its cells' fields, in column order."""
        return [
            (
                group,
                [
                    (row, [self[self.name_of(row.objective.pk, cell.organisation.pk)] for cell in row.cells])
                    for row in group.rows
                ],
            )
            for group in matrix.plans
        ]

    def levels(self) -> dict[tuple[int, int], str]:
        return {
            key: "" if self.cleaned_data[name] == NO_PART else self.cleaned_data[name]
            for name, key in self.cells.items()
        }
