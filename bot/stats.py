"""``samenspraak stats``: what parents ask most, and what the glossary could not answer.

The counts are anonymous (no user or chat id is stored with them); editors use
the unmatched questions to decide which terms to add.
"""

from __future__ import annotations

import json

from bot.backends import make_storage
from bot.config import Settings


async def run_stats(settings: Settings, *, as_json: bool) -> int:
    storage = make_storage(settings)
    await storage.db.open()
    try:
        terms, unmatched = await storage.repo.question_stats()
    finally:
        await storage.db.close()
    if as_json:
        print(json.dumps({
            "terms": [{"key": k, "count": c} for k, c in terms],
            "unmatched": [{"lang": lang, "question": q, "count": c} for lang, q, c in unmatched],
        }, ensure_ascii=False))  # fmt: skip
        return 0
    print("Most asked terms:")
    for key, count in terms[:30]:
        print(f"  {count:6d}  {key}")
    if not terms:
        print("  (none yet)")
    print("\nQuestions without an answer, by language:")
    current = None
    for language, question, count in unmatched:
        if language != current:
            print(f"  [{language}]")
            current = language
        print(f"  {count:6d}  {question}")
    if not unmatched:
        print("  (none yet)")
    return 0
