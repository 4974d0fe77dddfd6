"""factory_boy builders for voice tests. Text is synthetic."""

import factory
from django.utils import timezone

from waymark.voice.choices_items import HowGathered, SourceType
from waymark.voice.models import FeedbackItem, ItemDemographics


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    """An item as the public form leaves it, before language detection has run."""

    class Meta:
        model = FeedbackItem

    text = factory.Sequence(lambda n: f"The waiting time for a first appointment was far too long (test item {n}).")
    received_on = factory.LazyFunction(timezone.localdate)
    how_gathered = HowGathered.ONLINE_FORM
    source_type = SourceType.INDIVIDUAL


class ItemDemographicsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemDemographics

    item = factory.SubFactory(FeedbackItemFactory)
    age_band = "25_34"
    gender = "woman"
