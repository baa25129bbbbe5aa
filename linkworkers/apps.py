from django.apps import AppConfig


class LinkWorkersConfig(AppConfig):
    name = "linkworkers"
    verbose_name = "Link workers"
