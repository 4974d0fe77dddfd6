"""Ethnic monitoring's pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core import today as today_registry
from waymark.core.navigation import Entry, register_section
from waymark.monitoring import today


def register() -> None:
    register_section(
        "monitoring",
        title=_("Ethnic monitoring"),
        menu=_("Monitoring"),
        order=30,
        entries=[
            Entry(
                _("Ethnic monitoring"),
                _("Detentions, restrictive practice and access by ethnic group, against the local population."),
                "monitoring:index",
                "monitoring.view",
                "/monitoring/",
            ),
            Entry(
                _("England's published figures"),
                _("Load NHS England's Mental Health Act statistics by ethnic group, the benchmark on dashboards."),
                "monitoring:national_import",
                "monitoring.import_national",
                "/monitoring/england/",
            ),
            Entry(
                _("Compare providers"),
                _("One ethnic group's figures for every provider on a funnel plot, with 95% and 99.8% limits."),
                "monitoring:compare_providers",
                "monitoring.view",
                "/monitoring/funnel/",
            ),
            Entry(
                _("Published figures"),
                _("Ethnic monitoring figures published with small numbers protected."),
                "monitoring:snapshot_list",
                None,
                "/monitoring/published/",
            ),
        ],
    )
    today_registry.register(
        "monitoring.imports", permission="monitoring.view_imports", order=30, lines=today.import_lines
    )
    today_registry.register(
        "monitoring.data_quality", permission="monitoring.data_quality", order=31, lines=today.data_quality_lines
    )
