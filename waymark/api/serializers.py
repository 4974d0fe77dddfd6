"""Shapes shared by every endpoint."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error response: a sentence for people, and the fields at fault for programs."""

    detail = serializers.CharField()
    # DRF moves declared fields off the class, so this does not replace Serializer.errors; mypy cannot know that.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; 'non_field_errors' for problems with the record as a whole.",
    )
