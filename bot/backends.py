"""Which storage backend the bot runs on, chosen by the database setting.

A file path (the default): SQLite through aiosqlite, for one process. A ``postgresql://``
address: PostgreSQL through asyncpg, for several workers on one database. Both give the
same four parts; nothing else in the bot knows which one it has.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.invitations.store import InvitationStore
from bot.invitations.store_pg import PostgresInvitationStore
from bot.invitations.store_sqlite import SqliteInvitationStore
from bot.reminders.store import ReminderStore
from bot.reminders.store_pg import PostgresReminderStore
from bot.reminders.store_sqlite import SqliteReminderStore
from bot.storage.db import Database as SqliteDatabase
from bot.storage.interface import Database, Repository
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.repository import PostgresRepository
from bot.storage.repository import SqliteRepository

#: At most this many updates of different chats hold their chat's lock at once, per worker.
LOCK_CONNECTIONS = 32


@dataclass(frozen=True)
class Storage:
    """The database and the stores on it (not yet open: ``db.open()`` migrates and connects)."""

    db: Database
    repo: Repository
    invitations: InvitationStore
    reminders: ReminderStore


def make_storage(settings: Settings) -> Storage:
    if settings.db_url:
        # One lock connection per update in flight, up to LOCK_CONNECTIONS: each is a server process
        # (forked at first use), and two cores gain nothing from more updates at once.
        pg = PostgresDatabase(settings.db_url, lock_pool_size=min(settings.max_concurrent_updates, LOCK_CONNECTIONS))
        return Storage(pg, PostgresRepository(pg), PostgresInvitationStore(pg), PostgresReminderStore(pg))
    lite = SqliteDatabase(settings.db_path)
    return Storage(lite, SqliteRepository(lite), SqliteInvitationStore(lite), SqliteReminderStore(lite))
