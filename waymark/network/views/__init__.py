"""The network pages, one module per topic; ``network.urls*`` import the modules."""
