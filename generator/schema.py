"""The JSON schema sent as ``response_format`` when the server supports structured output.

OpenAI's strict mode wants an object at the top, every property required and no
additional properties, hence the ``{"entries": [...]}`` wrapper. It only shapes the
reply; the plugin's own schema check still judges every entry.
"""

from __future__ import annotations

from typing import Any

from pytest_synthetic.spec import DIFFICULTIES

_METADATA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "language": {"type": "string"},
        "function_name": {"type": "string"},
        "difficulty": {"type": "string", "enum": list(DIFFICULTIES)},
        "category": {"type": "string"},
        "complexity": {"type": "number"},
    },
    "required": ["language", "function_name", "difficulty", "category", "complexity"],
    "additionalProperties": False,
}

ENTRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query_id": {"type": "string"},
        "query_text": {"type": "string"},
        "reference_answer": {"type": "string"},
        "assertions": {"type": "string"},
        "metadata": _METADATA,
    },
    "required": ["query_id", "query_text", "reference_answer", "assertions", "metadata"],
    "additionalProperties": False,
}

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"entries": {"type": "array", "items": ENTRY_SCHEMA}},
    "required": ["entries"],
    "additionalProperties": False,
}

ENTRY_FIELDS = ("query_id", "query_text", "reference_answer", "assertions", "metadata")
METADATA_FIELDS = ("language", "function_name", "difficulty", "category", "complexity")
