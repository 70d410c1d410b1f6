"""Documents by key in one SQLite file, shared by every process of a run and by later runs.

One file per key cost a file creation per entry: at 10,000 entries that is most of what the
result cache costs (creating a file takes about half a millisecond here, a row a few
microseconds). SQLite's write-ahead log lets xdist workers read while one of them writes;
writers wait for each other (up to `WAIT_SECONDS`), and a store that cannot be used only
costs speed: reads miss and writes report False, never an error.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

FILE_NAME = "results.sqlite3"
WAIT_SECONDS = 30.0
_SCHEMA = "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID"


class DocumentStore:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._lock = threading.Lock()  # strength's threads may store while the main thread reads
        self._connection: sqlite3.Connection | None = None
        self._owner = 0  # the process that opened the connection: a connection must not cross a fork

    def get(self, key: str) -> str | None:
        with self._lock:
            connection = self._connect()
            if connection is None:
                return None
            try:
                row = connection.execute("SELECT text FROM documents WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                return None
        return str(row[0]) if row is not None else None

    def put(self, key: str, text: str) -> bool:
        with self._lock:
            connection = self._connect()
            if connection is None:
                return False
            try:
                connection.execute("INSERT OR REPLACE INTO documents (key, text) VALUES (?, ?)", (key, text))
            except sqlite3.Error:
                return False
        return True

    def close(self) -> None:
        with self._lock:
            if self._connection is not None and self._owner == os.getpid():
                self._connection.close()
            self._connection = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is not None and self._owner == os.getpid():
            return self._connection
        self._connection = None
        for attempt in range(2):
            try:
                connection = self._open()
            except (OSError, sqlite3.OperationalError):
                return None  # locked for longer than the wait, unwritable, ...: no cache this time
            except sqlite3.DatabaseError:  # not a database (a damaged file): begin a new one
                if attempt == 0:
                    self._remove_damaged()
            else:
                self._connection, self._owner = connection, os.getpid()
                return connection
        return None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit: every statement is its own short transaction, so no writer holds the lock
        connection = sqlite3.connect(self.path, timeout=WAIT_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            # the log is synced at checkpoints, not on every commit: a power cut may lose the
            # last results (they are computed again), never damage the file
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
        except BaseException:
            connection.close()
            raise
        return connection

    def _remove_damaged(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()
