"""WSGI entry point (gunicorn waymark.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waymark.settings")
application = get_wsgi_application()
