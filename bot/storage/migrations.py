"""The database schema, as numbered migrations applied in order at start.

``PRAGMA user_version`` records how far a database has come. A migration is
never edited once released; a change is a new entry at the end.

Privacy by design: the only personal identifier is the Telegram user id, used
to find a user's own rows. Counters (``question_counts``) hold no ids at all.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: users, preparations, processed updates, anonymous question counts
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        role        TEXT CHECK (role IN ('teacher', 'parent')),
        language    TEXT,
        active_preparation_id INTEGER,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE preparations (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        script_id   TEXT NOT NULL,
        state       TEXT NOT NULL,
        finished_at TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX preparations_by_user ON preparations (user_id, updated_at);
    CREATE TABLE processed_updates (
        update_id    INTEGER PRIMARY KEY,
        processed_at TEXT NOT NULL
    );
    CREATE TABLE question_counts (
        language TEXT NOT NULL,
        term_key TEXT NOT NULL DEFAULT '',
        question TEXT NOT NULL DEFAULT '',
        count    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (language, term_key, question)
    );
    """,
    # 2: parent invitations (only a hash of each token is stored) and durable reminders
    """
    CREATE TABLE invitations (
        id             INTEGER PRIMARY KEY,
        token_hash     TEXT NOT NULL UNIQUE,
        user_id        INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        preparation_id INTEGER REFERENCES preparations (id) ON DELETE CASCADE,
        details        TEXT NOT NULL,
        meeting_at     TEXT NOT NULL,
        expires_at     TEXT NOT NULL,
        revoked_at     TEXT,
        opened_at      TEXT,
        open_count     INTEGER NOT NULL DEFAULT 0,
        created_at     TEXT NOT NULL
    );
    CREATE INDEX invitations_by_user ON invitations (user_id);
    CREATE TABLE reminders (
        id             INTEGER PRIMARY KEY,
        user_id        INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        preparation_id INTEGER NOT NULL REFERENCES preparations (id) ON DELETE CASCADE,
        kind           TEXT NOT NULL,
        due_at         TEXT NOT NULL,
        meeting_at     TEXT NOT NULL,
        status         TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'sending', 'sent', 'dropped', 'cancelled')),
        sent_at        TEXT,
        UNIQUE (preparation_id, kind)
    );
    CREATE INDEX reminders_due ON reminders (status, due_at);
    CREATE TABLE drafts (
        user_id    INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
        kind       TEXT NOT NULL,
        data       TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 3: the teacher's reflection after the meeting, kept on the card
    """
    ALTER TABLE preparations ADD COLUMN reflection TEXT
    """,
    # 4: the language the teacher used when planning a reminder (Telegram's language_code is
    #    only known while the teacher is writing, not when the reminder fires); NULL for older rows
    """
    ALTER TABLE reminders ADD COLUMN language TEXT
    """,
    # 5: a lease on a reminder being sent (bot/reminders/store.py): a claim ends at this moment
    """
    ALTER TABLE reminders ADD COLUMN lease_until TEXT
    """,
)
