from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data that ``make run`` starts with (``manage.py demo``): on top of the domain
    apps, whose services it calls, so none of them depends on it."""

    name = "annotator.demo"
    label = "demo"
