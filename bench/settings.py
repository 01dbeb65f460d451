"""The production settings plus one bare view, for benchmarks only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
