from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "annotator.exchange"
    label = "exchange"
