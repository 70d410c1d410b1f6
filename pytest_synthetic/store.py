"""Documents by key in one SQLite file, shared by every process of a run and by later runs.

One file per key cost a file creation per entry: at 10,000 entries that is most of what the
result cache costs (creating a file takes about half a millisecond here, a row a few
microseconds). SQLite's write-ahead log lets xdist workers read while one of them writes;
writers wait for each other (up to `WAIT_SECONDS`), and a store that cannot be used only
costs speed: reads miss and writes report False, never an error.

Each row keeps the day it was last written or read. Reads of rows last used on an earlier
day are marked in one transaction when the store is closed, so a warm run writes at most
once. Once a day, the first process to open the store removes the rows nobody used for
`KEEP_DAYS`: results of entries since edited or deleted, of old toolchains.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from pathlib import Path

FILE_NAME = "results.sqlite3"
WAIT_SECONDS = 30.0
KEEP_DAYS = 30
_HEADER = b"SQLite format 3\x00"
_SCHEMA = (
    # the first layout had no day of use: its rows are dropped rather than kept forever
    "DROP TABLE IF EXISTS documents",
    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, text TEXT NOT NULL, used INTEGER NOT NULL)"
    " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS housekeeping (name TEXT PRIMARY KEY, day INTEGER NOT NULL) WITHOUT ROWID",
)


def today() -> int:
    """Days since the epoch (UTC): the unit of a row's last use."""
    return int(time.time() // 86400)


class DocumentStore:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._lock = threading.Lock()  # strength's threads may store while the main thread reads
        self._connection: sqlite3.Connection | None = None
        self._owner = 0  # the process that opened the connection: a connection must not cross a fork
        self._day = today()
        self._read_earlier: list[str] = []  # keys read whose day of use is older than today

    def get(self, key: str) -> str | None:
        with self._lock:
            connection = self._connect()
            if connection is None:
                return None
            try:
                row = connection.execute("SELECT text, used FROM results WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                return None
            if row is not None and row[1] < self._day:
                self._read_earlier.append(key)  # marked used when the store is closed
        return str(row[0]) if row is not None else None

    def put(self, key: str, text: str) -> bool:
        with self._lock:
            connection = self._connect()
            if connection is None:
                return False
            try:
                connection.execute(
                    "INSERT OR REPLACE INTO results (key, text, used) VALUES (?, ?, ?)", (key, text, self._day)
                )
            except sqlite3.Error:
                return False
        return True

    def close(self) -> None:
        with self._lock:
            if self._connection is not None and self._owner == os.getpid():
                self._mark_used(self._connection)
                self._connection.close()
            self._connection = None
            self._read_earlier.clear()

    def _mark_used(self, connection: sqlite3.Connection) -> None:
        """One transaction for every row read: a warm run on a new day writes once, not per row."""
        if not self._read_earlier:
            return
        with contextlib.suppress(sqlite3.Error):  # not marked: the row may be pruned a day early
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.executemany(
                    "UPDATE results SET used = ? WHERE key = ? AND used < ?",
                    ((self._day, key, self._day) for key in self._read_earlier),
                )
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

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
                if attempt == 0 and not self._has_header():
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
            for statement in _SCHEMA:
                connection.execute(statement)
            with contextlib.suppress(sqlite3.OperationalError):  # busy: another day's work
                _prune_once_a_day(connection, self._day)
        except BaseException:
            connection.close()
            raise
        return connection

    def _has_header(self) -> bool:
        """A file that starts like SQLite may be another process's store caught mid-write:
        removing it could lose that process's rows, so it is only not used this time (a store
        damaged inside is replaced by `--cache-clear`)."""
        try:
            with self.path.open("rb") as file:
                return file.read(len(_HEADER)) == _HEADER
        except OSError:
            return False

    def _remove_damaged(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()


def _prune_once_a_day(connection: sqlite3.Connection, day: int) -> None:
    row = connection.execute("SELECT day FROM housekeeping WHERE name = 'pruned'").fetchone()
    if row is not None and row[0] >= day:
        return
    # two processes opening at once may both prune: the same rows go, nothing else
    connection.execute("DELETE FROM results WHERE used < ?", (day - KEEP_DAYS,))
    connection.execute("INSERT OR REPLACE INTO housekeeping (name, day) VALUES ('pruned', ?)", (day,))
