from django.apps import AppConfig


class PreannotationConfig(AppConfig):
    name = "annotator.preannotation"
    label = "preannotation"
