"""Talking to an OpenAI-compatible chat-completions server, with our own retry policy.

The openai client is built with ``max_retries=0``: retries here honour ``retry-after``
(and ``retry-after-ms``) up to our own cap, back off exponentially with jitter otherwise,
and are reported to the caller so the progress line can say why the run is waiting.
Optional request features that a server may refuse (structured output, temperature,
seed) are dropped one at a time when the server answers 400 about them.
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import openai

from generator.errors import ApiFatalError, ApiUnavailableError
from generator.schema import RESPONSE_SCHEMA

__all__ = ["ApiFatalError", "ApiSettings", "ApiUnavailableError", "ChatClient", "Reply", "retry_after_seconds"]

FORMAT_MODES = ("json_schema", "json_object", "none")
# Waiting longer than this for one retry is never worth it; a later slot retry is.
MAX_RETRY_WAIT = 120.0
RETRYABLE_STATUS = frozenset({408, 409, 429})


@dataclass(frozen=True)
class ApiSettings:
    model: str
    base_url: str | None = None
    api_key: str | None = None
    timeout: float = 180.0
    retries: int = 6  # per request, after the first try
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    temperature: float | None = 0.7
    seed: int | None = None
    max_tokens: int | None = None
    structured: bool = True


@dataclass(frozen=True)
class Reply:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str | None


def retry_after_seconds(headers: Any) -> float | None:
    """The server's requested wait from ``retry-after-ms`` or ``retry-after`` (seconds or date)."""
    if headers is None:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(error: openai.APIError) -> str:
    if isinstance(error, openai.APITimeoutError):
        return "request timed out"
    if isinstance(error, openai.APIStatusError):
        body = error.body
        # The server's own words when it sent any, not the client's "Error code: 401 - {...}" wrapper.
        message = body.get("message") if isinstance(body, dict) else None
        return f"HTTP {error.status_code}: {message if isinstance(message, str) else error.message}"[:300]
    return f"connection failed: {error.message}"[:200]


class ChatClient:
    """One model on one server; safe to share between threads."""

    def __init__(
        self,
        settings: ApiSettings,
        *,
        on_retry: Callable[[str, float], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._on_retry = on_retry
        self._sleep = sleep
        self._lock = threading.Lock()
        self._format = "json_schema" if settings.structured else "none"
        self._send_temperature = settings.temperature is not None
        self._send_seed = settings.seed is not None
        self._requests = 0
        self._successes = 0
        # Local servers (vLLM, Ollama, LiteLLM) usually need no key, but the client insists on one.
        key = settings.api_key or ("not-needed" if settings.base_url else None)
        try:
            self._client = openai.OpenAI(
                api_key=key, base_url=settings.base_url, timeout=settings.timeout, max_retries=0
            )
        except openai.OpenAIError as error:
            raise ApiFatalError(str(error)) from error

    @property
    def response_format_mode(self) -> str:
        return self._format

    def _options(self) -> dict[str, Any]:
        with self._lock:
            self._requests += 1
            options: dict[str, Any] = {}
            if self._format == "json_schema":
                options["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "synthetic_entries", "strict": True, "schema": RESPONSE_SCHEMA},
                }
            elif self._format == "json_object":
                options["response_format"] = {"type": "json_object"}
            if self._send_temperature:
                options["temperature"] = self.settings.temperature
            if self._send_seed and self.settings.seed is not None:
                # A different seed per request: a retried slot must not get the same answer.
                options["seed"] = self.settings.seed + self._requests
            if self.settings.max_tokens is not None:
                options["max_tokens"] = self.settings.max_tokens
            return options

    def _downgrade(self, error: openai.APIStatusError, options: dict[str, Any]) -> str | None:
        """Drop the optional feature the server refused; None when there is none left to drop."""
        message = str(error.message).lower()
        with self._lock:
            if re.search(r"\btemperature\b", message) and "temperature" in options and self._send_temperature:
                self._send_temperature = False
                return "the server refuses the temperature setting; using its default"
            if re.search(r"\bseed\b", message) and "seed" in options and self._send_seed:
                self._send_seed = False
                return "the server refuses a seed; sending none"
            sent = options.get("response_format", {}).get("type")
            if sent is not None and self._format == sent:
                self._format = FORMAT_MODES[FORMAT_MODES.index(sent) + 1]
                return f"the server refuses response_format {sent}; falling back to {self._format}"
            if sent is not None:
                return "retrying with the downgraded response_format"  # another thread got there first
        return None

    def _wait_for(self, attempt: int, error: openai.APIError) -> float:
        wait = None
        if isinstance(error, openai.APIStatusError):
            wait = retry_after_seconds(error.response.headers)
        if wait is None:
            wait = min(self.settings.backoff_cap, self.settings.backoff_base * 2**attempt)
            wait *= 0.5 + random.random() / 2  # jitter keeps parallel workers apart
        return min(wait, MAX_RETRY_WAIT)

    def complete(self, messages: Sequence[dict[str, str]]) -> Reply:
        """One chat completion; raises ApiFatalError or ApiUnavailableError."""
        failures = 0
        while True:
            options = self._options()
            try:
                # Plain dicts go in as keyword arguments: the typed message params add nothing here.
                request: dict[str, Any] = {"model": self.settings.model, "messages": list(messages)}
                request.update(options)
                response = self._client.chat.completions.create(**request)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as error:
                note = self._downgrade(error, options)
                if note is None:
                    # Refused with nothing left to drop: the request itself is the problem.
                    # Before any success that means the whole run is misconfigured.
                    if self._successes == 0:
                        raise ApiFatalError(_describe(error)) from error
                    raise ApiUnavailableError(_describe(error)) from error
                if self._on_retry:
                    self._on_retry(note, 0.0)
                continue
            except openai.APIStatusError as error:
                # OpenAI answers 429 also when the account has no credit left: waiting cannot help.
                if error.code == "insufficient_quota" or (
                    error.status_code not in RETRYABLE_STATUS and error.status_code < 500
                ):
                    raise ApiFatalError(_describe(error)) from error  # 401, 403, 404: retrying cannot help
                last: openai.APIError = error
            except openai.APIConnectionError as error:  # includes timeouts and dropped connections
                last = error
            else:
                with self._lock:
                    self._successes += 1
                return self._reply(response)
            if failures >= self.settings.retries:
                raise ApiUnavailableError(f"{_describe(last)} (gave up after {failures + 1} tries)") from last
            wait = self._wait_for(failures, last)
            failures += 1
            if self._on_retry:
                self._on_retry(_describe(last), wait)
            self._sleep(wait)

    @staticmethod
    def _reply(response: Any) -> Reply:
        choices = getattr(response, "choices", None) or []
        message = choices[0].message if choices else None
        text = (message.content if message is not None else None) or ""
        if not text and message is not None:
            # Some servers put refusals or reasoning-only answers elsewhere; say what came back.
            text = getattr(message, "refusal", None) or ""
        usage = getattr(response, "usage", None)
        return Reply(
            text=text,
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            finish_reason=choices[0].finish_reason if choices else None,
        )

    def close(self) -> None:
        self._client.close()
