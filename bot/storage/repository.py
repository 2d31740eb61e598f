"""The bot's storage, as the handlers see it: a small async repository, no SQL outside.

Each public method is one unit of work on the database thread, committed on
its own or together with other updates' units (group commit, see
``bot.storage.db``). Methods that change a teacher's preparation take
the Telegram ``update_id`` and record it in the same transaction, so an
update processed twice (redelivered after a crash) changes nothing twice.

Its methods live in one module per table -- ``users``, ``preparations``,
``drafts``, ``question_counts`` -- and ``privacy`` for the export, erase and
purge that cross them all; the records and the SQL helpers several tables
share are in ``records``, the database, clock and caches in ``base``. This
module puts the Repository together and is the one place to import from.
"""

from __future__ import annotations

from bot.storage.drafts import DraftQueries
from bot.storage.preparations import PreparationQueries
from bot.storage.privacy import PrivacyQueries
from bot.storage.question_counts import MAX_KEPT_CHARS, MAX_KEPT_WORDS, QuestionCounts, unmatched_for_stats
from bot.storage.records import PreparationRecord, Role, StepResult, UserRecord, utc_now
from bot.storage.users import UserQueries

__all__ = [
    "MAX_KEPT_CHARS",
    "MAX_KEPT_WORDS",
    "PreparationRecord",
    "Repository",
    "Role",
    "SqliteRepository",
    "StepResult",
    "UserRecord",
    "unmatched_for_stats",
    "utc_now",
]


# PreparationQueries and PrivacyQueries build on UserQueries, so it comes after them here.
class SqliteRepository(PreparationQueries, DraftQueries, QuestionCounts, PrivacyQueries, UserQueries):
    """Async access to users, preparations and anonymous counters in the SQLite file.

    The other backend is ``bot.storage.postgres.repository.PostgresRepository``; both satisfy
    ``bot.storage.interface.Repository``, which is what the rest of the bot is typed against.
    """


#: The SQLite repository under its first name (tests and tools construct it as ``Repository(db)``).
Repository = SqliteRepository
