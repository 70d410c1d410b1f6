"""pytest-synthetic: synthetic programming-challenge datasets as a pytest suite."""
