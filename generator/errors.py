"""The ways a request can fail for good, shared by the client and the engine.

Kept apart from ``client`` so that the engine (and the offline bank backend) need not
import the openai package.
"""

from __future__ import annotations


class ApiFatalError(Exception):
    """The server refuses the request in a way retrying cannot fix (key, model, payload)."""


class ApiUnavailableError(Exception):
    """Retries ran out: the server kept failing, throttling or timing out."""
