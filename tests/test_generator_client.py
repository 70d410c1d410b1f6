"""The API client against a real loopback server: retries, waits, fallbacks, give-ups."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator

import pytest
from openai_server import FakeOpenAI, Reply

from generator.client import ApiFatalError, ApiSettings, ApiUnavailableError, ChatClient, retry_after_seconds

MESSAGES = [{"role": "user", "content": "| S001 | Python | medium | strings |"}]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def client_for(server: FakeOpenAI, **overrides: object) -> tuple[ChatClient, list[tuple[str, float]]]:
    retries: list[tuple[str, float]] = []
    settings = ApiSettings(
        **{"model": "fake", "base_url": server.url, "timeout": 5.0, "backoff_base": 0.01, **overrides}  # type: ignore[arg-type]
    )
    return ChatClient(settings, on_retry=lambda reason, wait: retries.append((reason, wait))), retries


def test_a_plain_answer_with_usage(server: FakeOpenAI) -> None:
    client, retries = client_for(server, seed=5)
    reply = client.complete(MESSAGES)
    assert '"query_id": "S001"' in reply.text
    assert (reply.prompt_tokens, reply.completion_tokens) == (100, 40)
    assert retries == []
    request = server.requests[0]
    assert request["model"] == "fake"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    assert request["temperature"] == 0.7
    assert request["seed"] == 6  # a different seed per request


def test_429_waits_as_long_as_retry_after_says(server: FakeOpenAI) -> None:
    server.push(Reply(status=429, headers={"retry-after": "1"}, message="slow down"))
    client, retries = client_for(server)
    started = time.monotonic()
    client.complete(MESSAGES)
    assert time.monotonic() - started >= 0.95  # the backoff alone would be ~0.01 s
    assert len(retries) == 1
    assert "429" in retries[0][0]
    assert retries[0][1] == pytest.approx(1.0)
    assert len(server.requests) == 2


def test_retry_after_ms_is_preferred(server: FakeOpenAI) -> None:
    server.push(Reply(status=429, headers={"retry-after-ms": "300", "retry-after": "30"}))
    client, retries = client_for(server)
    client.complete(MESSAGES)
    assert retries[0][1] == pytest.approx(0.3)


def test_5xx_is_retried_with_backoff(server: FakeOpenAI) -> None:
    server.push(Reply(status=500), Reply(status=503))
    client, retries = client_for(server)
    assert client.complete(MESSAGES).text
    assert [reason.split(":")[0] for reason, _ in retries] == ["HTTP 500", "HTTP 503"]
    assert all(0 < wait <= 0.05 for _, wait in retries)


def test_a_slow_reply_times_out_and_is_retried(server: FakeOpenAI) -> None:
    server.push(Reply(delay=2.0))
    client, retries = client_for(server, timeout=0.5)
    started = time.monotonic()
    assert client.complete(MESSAGES).text
    assert time.monotonic() - started < 1.9
    assert retries[0][0] == "request timed out"


def test_a_dropped_connection_is_retried(server: FakeOpenAI) -> None:
    server.push(Reply(drop=True))
    client, retries = client_for(server)
    assert client.complete(MESSAGES).text
    assert retries[0][0].startswith("connection failed")


def test_retries_run_out(server: FakeOpenAI) -> None:
    server.push(*[Reply(status=502)] * 3)
    client, retries = client_for(server, retries=2)
    with pytest.raises(ApiUnavailableError, match=r"HTTP 502.*3 tries"):
        client.complete(MESSAGES)
    assert len(retries) == 2


def test_structured_output_falls_back_when_refused() -> None:
    with FakeOpenAI(refuse_json_schema=True) as server:
        client, retries = client_for(server)
        assert client.complete(MESSAGES).text
        assert client.response_format_mode == "json_object"
        client.complete(MESSAGES)
        formats = [r.get("response_format", {}).get("type") for r in server.requests]
        assert formats == ["json_schema", "json_object", "json_object"]
        assert "falling back to json_object" in retries[0][0]


def test_a_refused_temperature_is_dropped(server: FakeOpenAI) -> None:
    server.push(Reply(status=400, message="Unsupported value: 'temperature' does not support 0.7"))
    client, _ = client_for(server, structured=False)
    client.complete(MESSAGES)
    assert "temperature" in server.requests[0]
    assert "temperature" not in server.requests[1]
    assert "response_format" not in server.requests[1]


@pytest.mark.parametrize("status", [401, 404])
def test_authentication_and_unknown_model_are_fatal(server: FakeOpenAI, status: int) -> None:
    server.push(Reply(status=status, message="no such thing"))
    client, _ = client_for(server)
    with pytest.raises(ApiFatalError, match=str(status)):
        client.complete(MESSAGES)
    assert len(server.requests) == 1


def test_no_credit_left_is_fatal_not_throttling(server: FakeOpenAI) -> None:
    server.push(Reply(status=429, code="insufficient_quota", message="You exceeded your current quota"))
    client, retries = client_for(server)
    with pytest.raises(ApiFatalError, match="exceeded your current quota"):
        client.complete(MESSAGES)
    assert retries == []


def test_a_bad_request_after_everything_was_dropped_is_fatal_before_any_success(server: FakeOpenAI) -> None:
    server.push(Reply(status=400, message="bad"), Reply(status=400, message="bad"), Reply(status=400, message="bad"))
    client, _ = client_for(server)
    with pytest.raises(ApiFatalError, match="400"):
        client.complete(MESSAGES)


def test_retry_after_forms() -> None:
    assert retry_after_seconds({"retry-after": "2.5"}) == 2.5
    assert retry_after_seconds({"retry-after-ms": "1500"}) == 1.5
    assert retry_after_seconds({}) is None
    assert retry_after_seconds({"retry-after": "soon"}) is None
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < (retry_after_seconds({"retry-after": future}) or 0) <= 30
