"""The trail from what communities said to what changed: a voice issue answered by plan actions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet


class ActionIssueLink(models.Model):
    """A plan action that answers an issue communities raised; shown on the issue's "You said, we did" page."""

    action = models.ForeignKey("plans.Action", on_delete=models.CASCADE, related_name="issue_links")
    issue = models.ForeignKey("voice.Issue", on_delete=models.CASCADE, related_name="plan_action_links")
    note = models.CharField(
        _("how the action answers it"), max_length=500, blank=True, help_text=_("Shown on public pages.")
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["issue", "action__code"]
        constraints = [models.UniqueConstraint(fields=["action", "issue"], name="plans_action_issue_unique")]

    def __str__(self) -> str:
        return f"{self.action} answers {self.issue}"
