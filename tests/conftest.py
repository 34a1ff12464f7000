import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
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
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    # Question content and fragments are cached per process by (id, version, last save); a
    # rolled-back test can leave a reused id with the same frozen timestamp behind.
    from django.core.cache import caches

    from questions.selectors import _question_with_content

    yield
    caches["fragments"].clear()
    _question_with_content.cache_clear()


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


def point_app_at(url: str) -> None:
    """Make this process's Celery app publish to `url` (drop pooled connections to the old one)."""
    from prep.celery import app

    # Celery caches broker connections in three places; reset them as it does after a fork.
    app.conf.broker_url = url
    app._after_fork()
    with contextlib.suppress(AttributeError):  # the mailbox had no producer pool cached yet
        app.control._after_fork()


@pytest.fixture
def broker(redis_url, settings):
    """Point the app (health checks, Celery) at the test Redis database for one test."""
    from prep.celery import app

    previous = app.conf.broker_url
    settings.REDIS_URL = redis_url
    point_app_at(redis_url)
    yield redis_url
    point_app_at(previous)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server the test may stop and start (never the machine's shared one)."""

    def __init__(self, tmp_path):
        require(shutil.which("redis-server") is not None, "redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp_path = tmp_path
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: port_open(self.url), "redis-server to start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    previous = settings.REDIS_URL
    settings.REDIS_URL = server.url
    point_app_at(server.url)
    yield server
    server.stop()
    point_app_at(previous)


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def database_url() -> str:
    """The URL of the database this test runs against (the test database), for subprocesses."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A real `celery worker` process on the given broker and the test database."""

    def __init__(self, broker_url: str, log_path, **env):
        self.env = {**os.environ, "REDIS_URL": broker_url, "DATABASE_URL": database_url(), **env}
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.broker_url = broker_url
        self.log_path = log_path
        self.proc = None

    def start(self):
        from prep.celery import app

        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "prep", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}-{free_port()}@%h"],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=0.5):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("worker did not start:\n" + self.log_path.read_text())
        return self

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc:
            self.log.close()


@pytest.fixture
def start_worker(tmp_path):
    workers = []

    def start(broker_url: str, **env) -> Worker:
        worker = Worker(broker_url, tmp_path / f"worker-{len(workers)}.log", **env)
        workers.append(worker)  # before starting: a worker that fails to answer is still stopped
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker_process(broker, start_worker):
    return start_worker(broker)
