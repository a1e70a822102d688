from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "annotator.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from annotator.common import events
        from annotator.webhooks import services

        events.subscribe(services.on_event)
