from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "annotator.common"
    label = "common"

    def ready(self) -> None:
        from annotator.common import checks  # noqa: F401 - registers the start-up checks
