"""The Celery application; configuration comes from Django settings (CELERY_*)."""

import gc
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")

app = Celery("annotator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_startup_objects(**_: object) -> None:
    # What a worker process holds when it starts (Django, every module) lives as long as the
    # process: out of the collector's generations, the full collections that a big import's
    # many objects set off no longer scan it all again.
    gc.freeze()
