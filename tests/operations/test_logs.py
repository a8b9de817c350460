"""Structured request logs: request id, the user's id (never the e-mail or codice fiscale), status and
duration; JSON lines with the production formatter."""
import json
import logging

import pytest

from ot24portal.logs import logging_config


def finished(caplog):
    return [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == "request_finished"]


@pytest.mark.django_db
def test_a_request_is_logged_with_its_id_the_users_id_status_and_duration(client, caplog):
    from tests.factories import UserFactory

    user = UserFactory(email="persona.riservata@example.com")
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="django_structlog")
    response = client.get("/healthz?email=persona.riservata@example.com")
    assert response.status_code == 200
    (event,) = finished(caplog)
    assert event["user_id"] == user.pk and event["code"] == 200 and event["view"] == "healthz"
    assert isinstance(event["duration_ms"], float) and len(event["request_id"]) == 36
    assert event["request"] == "GET /healthz"  # no query string
    assert "persona.riservata" not in repr([r.msg for r in caplog.records])


@pytest.mark.django_db
def test_production_lines_are_json(client, caplog):
    caplog.set_level(logging.INFO, logger="django_structlog")
    client.get("/healthz")
    record = next(r for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == "request_finished")
    config = logging_config("json")["formatters"]["structured"]
    factory = config.pop("()")
    line = factory(**config).format(record)
    data = json.loads(line)
    assert data["event"] == "request_finished" and data["code"] == 200 and data["level"] == "info"
    assert {"request_id", "user_id", "duration_ms", "timestamp"} <= set(data)
