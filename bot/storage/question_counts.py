"""Anonymous question counts: which glossary terms are asked for, and which questions found nothing.

No user or chat id is stored with a count, and an unmatched question keeps
its text only when short (``unmatched_for_stats``), so editors can see which
terms are missing without reading anyone's story.
"""

from __future__ import annotations

import sqlite3

from bot.storage.base import RepositoryBase
from bot.storage.db import transaction

#: Unmatched questions are kept as text only when short: a term someone looked for, not a story.
MAX_KEPT_WORDS = 5
MAX_KEPT_CHARS = 60


def unmatched_for_stats(question: str) -> str:
    """What an editor may see of an unmatched question: short ones as typed (normalised), digits masked.

    A long question can hold a name or a family's situation; it is counted
    without its text, as "…".
    """
    text = " ".join(question.split())
    if not text or len(text) > MAX_KEPT_CHARS or len(text.split()) > MAX_KEPT_WORDS:
        return "…"
    return "".join("#" if ch.isdigit() else ch for ch in text)


class QuestionCounts(RepositoryBase):
    """Counting glossary questions in memory and writing them in batches."""

    async def count_question(self, language: str, term_key: str | None, unmatched_question: str | None) -> None:
        """Count a glossary question without any user or chat id.

        A found term is counted by key only; an unmatched question keeps its
        text only when short (see ``unmatched_for_stats``), so editors can see
        which terms are missing. Counts are written by ``flush_counts``.
        """
        key = (language, term_key or "", "" if term_key else unmatched_for_stats(unmatched_question or ""))
        self._counts[key] = self._counts.get(key, 0) + 1

    async def flush_counts(self) -> None:
        """Write the counted questions in one transaction."""
        if not self._counts:
            return
        counts, self._counts = self._counts, {}

        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                conn.executemany(
                    "INSERT INTO question_counts (language, term_key, question, count) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (language, term_key, question) DO UPDATE SET count = count + excluded.count",
                    [(*key, count) for key, count in counts.items()],
                )

        await self._db.run(work)

    async def question_stats(self) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
        """(most asked terms, unmatched questions by language), most frequent first."""
        await self.flush_counts()

        def work(conn: sqlite3.Connection) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
            terms = conn.execute(
                "SELECT term_key, SUM(count) FROM question_counts WHERE term_key != ''"
                " GROUP BY term_key ORDER BY 2 DESC, 1"
            ).fetchall()
            unmatched = conn.execute(
                "SELECT language, question, count FROM question_counts WHERE term_key = ''"
                " ORDER BY language, count DESC, question"
            ).fetchall()
            return [(str(r[0]), int(r[1])) for r in terms], [(str(r[0]), str(r[1]), int(r[2])) for r in unmatched]

        return await self._db.run(work, alone=True)  # a scan of all counts: on aiosqlite's thread
