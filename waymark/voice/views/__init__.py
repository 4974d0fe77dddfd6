"""The voice pages, one module per area; ``voice.urls*`` import the modules."""
