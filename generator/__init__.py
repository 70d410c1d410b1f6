"""Writes synthetic programming-challenge datasets, keeping only entries that pass the checks.

Run ``python -m generator --help``. The modules, in the order data flows through them:
``plan`` (which slots), ``prompt`` and ``client`` (asking a model), ``parsing`` (reading its
answer), ``judge`` (the plugin's checks), ``engine`` (repair, accept, concurrency),
``writer`` (append and resume), ``report`` and ``progress`` (what the user sees);
``bank`` is the offline source, ``cli`` ties it together.
"""
