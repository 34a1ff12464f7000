import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.celery
def test_healthz_is_ok_when_database_redis_and_a_worker_answer(client, celery_worker_process):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["down"] == []
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"] == "ok"
    assert body["checks"]["celery"].startswith("ok: 1 worker")


def test_healthz_names_the_missing_worker(client, broker):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["celery"]


def test_healthz_names_redis_when_it_is_down(client, settings):
    from prep.celery import app

    closed = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.REDIS_URL = closed
    previous, app.conf.broker_url = app.conf.broker_url, closed
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["down"] == ["redis", "celery"]
