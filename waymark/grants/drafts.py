"""An applicant's way back to their draft: the signed link e-mailed when they start and whenever they ask again.

No account is needed to apply, so the link is the key. Its subject is the application (``grant-application:
<uuid>``), so one application's links can be withdrawn without touching anyone else's; it expires after
``SIGNED_LINK_MAX_AGE_DAYS["grant-draft"]`` days and the "lost your link?" form sends a fresh one.
"""

from django.conf import settings
from django.urls import reverse

from waymark.core import signed_links
from waymark.grants.models import Application

DRAFT_PURPOSE = "grant-draft"
SUBJECT_PREFIX = "grant-application:"

# The steps of the form, in order: (slug, what the step asks about). The check-answers page comes last.
STEPS = ("group", "project", "questions", "communities", "attachments", "check")


def draft_subject(application: Application) -> str:
    return f"{SUBJECT_PREFIX}{application.uuid}"


def draft_token(application: Application) -> str:
    return signed_links.make_token(purpose=DRAFT_PURPOSE, subject=draft_subject(application))


def draft_path(application: Application, step: str = "", *, token: str | None = None, lang: str = "") -> str:
    """The address of the draft (a step of it, or where to carry on), in ``lang`` or the application's language."""
    kwargs = {"lang": lang or application.language, "token": token or draft_token(application)}
    if step:
        return reverse("grants:apply_step", kwargs={**kwargs, "step": step})
    return reverse("grants:apply_resume", kwargs=kwargs)


def draft_url(application: Application) -> str:
    """The full link for an e-mail."""
    return f"{settings.SITE_URL.rstrip('/')}{draft_path(application)}"


def application_for_token(token: str) -> Application:
    """The application a draft link opens; ``signed_links.LinkRefused`` (expired, withdrawn, altered) otherwise."""
    subject, _data = signed_links.read_token(token, purpose=DRAFT_PURPOSE)
    if not subject.startswith(SUBJECT_PREFIX):
        raise signed_links.BadLink
    found = (
        Application.objects.select_related("programme", "beneficiary_area")
        .filter(uuid=subject.removeprefix(SUBJECT_PREFIX))
        .first()
    )
    if found is None:
        raise signed_links.BadLink
    return found
