from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "waymark.monitoring"
    label = "monitoring"
    verbose_name = "Ethnic monitoring"
