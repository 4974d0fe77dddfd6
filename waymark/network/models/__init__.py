"""The network app's models, one module per part of the app."""

from waymark.network.models.bulletins import *  # noqa: F403
from waymark.network.models.contacts import *  # noqa: F403
from waymark.network.models.events import *  # noqa: F403
from waymark.network.models.meetings import *  # noqa: F403
from waymark.network.models.surveys import *  # noqa: F403
