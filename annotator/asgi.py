"""The ASGI application: HTTP (the Django app) and WebSockets (``annotator.live``), served by
gunicorn's uvicorn workers (``manage.py serve``, docs/live.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
# Django first: the WebSocket side imports models.
http_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from annotator.live.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": http_application, "websocket": websocket_application()})

from annotator.common.startup import freeze_loaded  # noqa: E402

freeze_loaded(urls=True)  # each worker process imports this module once, before serving
