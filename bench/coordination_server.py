"""Settings of the servers bench/coordination.py starts: Kizuna's own, with the URLs of
coordination_urls.py (Kizuna's plus one bare view). Never used by the product."""

from kizuna.settings import *  # noqa: F403

ROOT_URLCONF = "coordination_urls"
