"""Shapes shared by every endpoint."""

from typing import Any

from rest_framework import serializers


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A read-only choice a record may leave blank: blank goes out as null, which the schema allows,
    rather than as an empty string that is not one of the choices."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return None if value in ("", None) else super().to_representation(value)


class BlankAsNullURLField(serializers.URLField):
    """A read-only address a record may leave blank: blank goes out as null, not as an empty string that is
    no URI."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value or None


class BlankAsNullEmailField(serializers.EmailField):
    """A read-only e-mail address a record may leave blank: blank goes out as null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value or None


class ErrorSerializer(serializers.Serializer):
    """Every error response: a sentence for people, and the fields at fault for programs."""

    detail = serializers.CharField()
    # DRF moves declared fields off the class, so this does not replace Serializer.errors; mypy cannot know that.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; 'non_field_errors' for problems with the record as a whole.",
    )


class PublishedCountSerializer(serializers.Serializer):
    """A disclosure-controlled count: ``value`` is null when it is hidden."""

    value = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
