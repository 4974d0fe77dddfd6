"""The voice app's models, one module per part of the app."""

from waymark.voice.models.issues import *  # noqa: F403
from waymark.voice.models.items import *  # noqa: F403
