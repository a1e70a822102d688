from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "annotator.common"
    label = "common"
