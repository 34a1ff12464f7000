"""Benchmark settings: the app's own settings plus one extra URL (the one-query baseline view)."""

from prep.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
