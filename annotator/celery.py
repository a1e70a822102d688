"""The Celery application; configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_process_init

from annotator.common.startup import freeze_loaded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")

app = Celery("annotator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# How long a worker waits for the result of a child process that died before it reports the
# loss (Celery's default: 10 s). Jobs keep no Celery results: their status is in the
# database, written by conditional updates, so there is nothing to wait for, and a job whose
# child was killed is failed (jobs/lost.py) this soon after.
app.conf.worker_lost_wait = 1.0


@worker_process_init.connect
def _freeze_startup_objects(**_: object) -> None:
    freeze_loaded(urls=False)
