import os

from django.core.asgi import get_asgi_application

from kizuna.core.stopping import chain_server_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
application = get_asgi_application()
# Live streams end when uvicorn is told to stop, instead of holding the stop to its bound.
chain_server_signals()
