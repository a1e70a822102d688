import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
application = get_wsgi_application()

from annotator.common.startup import freeze_loaded  # noqa: E402

freeze_loaded(urls=True)  # each worker process imports this module once, before serving
