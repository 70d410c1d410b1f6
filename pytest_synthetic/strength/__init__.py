"""How much the assertions of an entry prove: stubs that must fail, mutants that must be killed."""

from __future__ import annotations

from pytest_synthetic.strength.score import MAX_MUTANTS, StrengthReport, Trial, score_entry

__all__ = ["MAX_MUTANTS", "StrengthReport", "Trial", "score_entry"]
