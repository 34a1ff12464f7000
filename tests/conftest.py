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


@pytest.fixture
def broker(redis_url, settings):
    """Point the app (health checks, Celery) at the test Redis database for one test."""
    from prep.celery import app

    previous = app.conf.broker_url
    settings.REDIS_URL = redis_url
    app.conf.broker_url = redis_url
    yield redis_url
    app.conf.broker_url = previous


@pytest.fixture
def celery_worker_process(broker, tmp_path):
    """A real `celery worker` process on the test broker; stopped after the test."""
    import subprocess
    import sys
    import time

    from prep.celery import app

    env = {**os.environ, "REDIS_URL": broker}
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "prep", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=0.5):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + (tmp_path / "worker.log").read_text())
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
