"""Settings of the servers bench/coordination.py starts: Kizuna's own, with the URLs of
coordination_urls.py (Kizuna's plus one bare view). Never used by the product."""

from kizuna.settings import *  # noqa: F403

ROOT_URLCONF = "coordination_urls"

# Under ASGI each request's synchronous work runs in a thread of its own, so a connection
# kept for reuse (CONN_MAX_AGE > 0) is never reused and piles up until PostgreSQL refuses
# new clients. Django's advice for ASGI: close at the end of each request (or pool).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
