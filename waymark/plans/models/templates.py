"""Plan templates shipped as data (PCREF, EDS 2022): loaded and upgraded by data migrations, never typed in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.plans.choices import PlanType, TemplateItemKind


class PlanTemplate(models.Model):
    """A national framework a plan can start from. ``version`` rises when a migration upgrades its items."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    plan_type = models.CharField(_("type of plan"), max_length=20, choices=PlanType.choices)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateItem(models.Model):
    """One component, competency or outcome of a template. ``code`` is stable across versions ("1A", "C3")."""

    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=10)
    kind = models.CharField(_("kind"), max_length=12, choices=TemplateItemKind.choices)
    group = models.CharField(_("component or domain"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("No longer in the framework; kept for plans that used it.")
    )

    class Meta:
        ordering = ["template", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="plans_template_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
