"""What the network API returns: the records the network's pages show, to the people those pages show them to.

Contacts, memberships and registrations are personal data and their endpoints are for network staff; the
rest name a contact only as the pages do (an action's owner). Survey results come exact to those who may
read the results page, and otherwise only as published: disclosure-controlled, without written answers.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waymark.core.api.serializers import SMALL_POSITIVE
from waymark.core.models import Language, Organisation, Sector, Theme
from waymark.core.rest.serializers import BlankAsNullChoiceField, PublishedCountSerializer
from waymark.network.models import (
    Action,
    Contact,
    Event,
    LawfulBasis,
    Meeting,
    Membership,
    Minutes,
    Network,
    Question,
    QuestionKind,
    QuestionOption,
    Registration,
    Survey,
    TicketType,
)

# Django guarantees 0 to 2**31 - 1 for a PositiveIntegerField on every database (see SMALL_POSITIVE).
POSITIVE = {"min_value": 0, "max_value": 2_147_483_647}


@extend_schema_field(OpenApiTypes.URI)
class PageField(serializers.Field):
    """The address of the record's page on the site."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class NetworkSummarySerializer(serializers.ModelSerializer):
    """A network named inside another record."""

    class Meta:
        model = Network
        fields = ["id", "slug", "name"]


class NetworkSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="Members who have not left.")
    page = PageField()

    class Meta:
        model = Network
        fields = ["id", "uuid", "slug", "name", "description", "organisation", "organisation_name", "member_count"]
        fields += ["page"]


class MembershipSerializer(serializers.ModelSerializer):
    network = NetworkSummarySerializer(read_only=True)
    contact: serializers.SlugRelatedField[Contact] = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    contact_name = serializers.CharField(source="contact.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "network", "contact", "contact_name", "role", "joined", "left"]


class ContactSerializer(serializers.ModelSerializer):
    """A person the network keeps in touch with: personal data, for network staff only."""

    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, allow_null=True)
    sector: serializers.SlugRelatedField[Sector] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    interests: serializers.SlugRelatedField[Theme] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    preferred_language: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    lawful_basis = BlankAsNullChoiceField(choices=LawfulBasis.choices, help_text="Null when none is recorded.")
    may_be_emailed = serializers.BooleanField(
        read_only=True, help_text="An address, a recorded basis and no unsubscribe: bulletins go to them."
    )
    page = PageField()

    class Meta:
        model = Contact
        fields = [
            "uuid",
            "name",
            "email",
            "phone",
            "job_title",
            "organisation",
            "organisation_name",
            "sector",
            "interests",
            "preferred_language",
            "consent_to_contact",
            "lawful_basis",
            "consent_date",
            "unsubscribed_at",
            "may_be_emailed",
            "page",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    network = NetworkSummarySerializer(read_only=True)
    series: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    minutes_published = serializers.SerializerMethodField(help_text="True once its minutes are published.")
    page = PageField()

    class Meta:
        model = Meeting
        fields = ["uuid", "network", "series", "title", "start", "end", "venue", "status", "minutes_published", "page"]

    def get_minutes_published(self, meeting: Meeting) -> bool:
        minutes = getattr(meeting, "minutes", None)
        return minutes is not None and minutes.published_at is not None


class PublishedMinutesSerializer(serializers.ModelSerializer):
    meeting = serializers.UUIDField(source="meeting.uuid", read_only=True)
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)
    meeting_start = serializers.DateTimeField(source="meeting.start", read_only=True)
    network = NetworkSummarySerializer(source="meeting.network", read_only=True)
    text = serializers.CharField(read_only=True, help_text="Markdown.")
    page = PageField()

    class Meta:
        model = Minutes
        fields = ["meeting", "meeting_title", "meeting_start", "network", "text", "published_at", "page"]


class ActionSerializer(serializers.ModelSerializer):
    meeting = serializers.UUIDField(source="meeting.uuid", read_only=True)
    network = NetworkSummarySerializer(source="meeting.network", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True, help_text="Who agreed to do it.")
    overdue = serializers.BooleanField(read_only=True, help_text="Open and past its due date.")

    class Meta:
        model = Action
        fields = ["uuid", "meeting", "network", "description", "owner_name", "due_date", "status", "closed_on"]
        fields += ["overdue"]


class TicketTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = TicketType
        fields = ["uuid", "name", "description", "capacity"]
        extra_kwargs = {"capacity": POSITIVE}


class EventSerializer(serializers.ModelSerializer):
    network = NetworkSummarySerializer(read_only=True, allow_null=True)
    ticket_types = TicketTypeSerializer(many=True, read_only=True)
    confirmed = serializers.IntegerField(source="n_confirmed", read_only=True, help_text="Confirmed places.")
    waitlisted = serializers.IntegerField(source="n_waitlisted", read_only=True, help_text="On the waiting list.")
    page = PageField()

    class Meta:
        model = Event
        fields = [
            "uuid",
            "title",
            "description",
            "venue",
            "starts_at",
            "ends_at",
            "network",
            "status",
            "registration_open",
            "ticket_types",
            "confirmed",
            "waitlisted",
            "page",
        ]


class RegistrationSerializer(serializers.ModelSerializer):
    """One person's place at an event, as the registration list shows it to event staff."""

    event = serializers.UUIDField(source="event.uuid", read_only=True)
    ticket_type = serializers.CharField(source="ticket_type.name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "uuid",
            "event",
            "ticket_type",
            "name",
            "email",
            "organisation",
            "access_needs",
            "dietary_needs",
            "status",
            "waitlist_position",
            "registered_at",
            "checked_in_at",
            "cancelled_at",
        ]
        extra_kwargs = {"waitlist_position": POSITIVE}


class QuestionSerializer(serializers.ModelSerializer):
    options: serializers.SlugRelatedField[QuestionOption] = serializers.SlugRelatedField(
        slug_field="label", many=True, read_only=True
    )

    class Meta:
        model = Question
        fields = ["text", "hint", "kind", "required", "options", "scale_min", "scale_max"]
        fields += ["scale_min_label", "scale_max_label"]
        extra_kwargs = {"scale_min": SMALL_POSITIVE, "scale_max": SMALL_POSITIVE}


class SurveySerializer(serializers.ModelSerializer):
    network = NetworkSummarySerializer(read_only=True, allow_null=True)
    event: serializers.SlugRelatedField[Event] = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True, help_text="The event it evaluates."
    )
    questions = QuestionSerializer(many=True, read_only=True)
    invited = serializers.IntegerField(source="n_invited", read_only=True)
    responses = serializers.IntegerField(source="n_responses", read_only=True)
    page = PageField()

    class Meta:
        model = Survey
        fields = ["uuid", "title", "introduction", "network", "event", "anonymous", "results_public", "status"]
        fields += ["created_at", "questions", "invited", "responses", "page"]


# --- Results: the same figures as the results pages --------------------------------------------------------


class AnswerCountSerializer(serializers.Serializer):
    answer = serializers.CharField(source="label")
    count = serializers.IntegerField()


class QuestionResultSerializer(serializers.Serializer):
    text = serializers.CharField(source="question.text")
    kind = serializers.ChoiceField(source="question.kind", choices=QuestionKind.choices)
    answered = serializers.IntegerField(help_text="How many responses answered it.")
    answers = AnswerCountSerializer(source="rows", many=True, help_text="Per answer; empty for written answers.")
    written_answers = serializers.ListField(source="texts", child=serializers.CharField())


class SurveyResultsSerializer(serializers.Serializer):
    """Exact results, as the results page shows them to staff and analysts, written answers included."""

    survey = serializers.UUIDField(source="survey.uuid")
    title = serializers.CharField(source="survey.title")
    responses = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class PublishedAnswerCountSerializer(serializers.Serializer):
    answer = serializers.CharField(source="label")
    count = PublishedCountSerializer(source="published")


class PublishedQuestionResultSerializer(serializers.Serializer):
    text = serializers.CharField(source="question.text")
    kind = serializers.ChoiceField(source="question.kind", choices=QuestionKind.choices)
    answered = PublishedCountSerializer(source="answered_published")
    answers = PublishedAnswerCountSerializer(
        source="rows", many=True, help_text="Per answer; empty for written answers, which are not published."
    )


class PublishedSurveyResultsSerializer(serializers.Serializer):
    """Published results, as the public results page shows them: small counts hidden, the rest rounded, and
    more hidden where the small ones could be worked out (``core.disclosure``); written answers left out."""

    survey = serializers.UUIDField(source="survey.uuid")
    title = serializers.CharField(source="survey.title")
    responses = PublishedCountSerializer()
    questions = PublishedQuestionResultSerializer(many=True)
