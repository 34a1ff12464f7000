import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

ON_CI = bool(os.environ.get("CI"))


def pytest_configure(config):
    # CI must test against PostgreSQL; a silent fallback to SQLite would hide real failures.
    if ON_CI and django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise pytest.UsageError("CI is set but DATABASE_URL does not point at PostgreSQL.")


def require(condition: bool, what: str) -> None:
    """Skip locally when a real dependency is missing; fail on CI, where it must be there."""
    if condition:
        return
    if ON_CI:
        pytest.fail(f"{what} is required on CI but is not available")
    pytest.skip(f"{what} is not available")


def port_open(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests serve static files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    require(port_open(url), f"Redis at {url}")
    return url
