"""Stored preparation state -> engine Progress, parsed and checked once per state.

Every screen needs the teacher's current Progress. Parsing the JSON and
``engine.resume`` (which re-checks every answer against the script, so a script
edited since is handled) is not free, and the same stored state always gives
the same Progress -- so it is memoised, per loaded script, in the application's
Services. A handler that has just stored a new state puts its Progress in
too, so the next update does not parse what it already has. ``/wis`` clears
it, so an erased teacher's answers do not linger in memory.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.coach import engine
from bot.coach.engine import Progress
from bot.coach.model import Script
from bot.storage.repository import PreparationRecord

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


def load_progress(svc: Services, script: Script, record: PreparationRecord) -> Progress:
    """The preparation's Progress; unreadable stored state starts the script over (logged, no text)."""
    key = (record.script_id, record.state)
    cached = svc.progress_cache.get(key)
    if isinstance(cached, Progress):
        return cached
    try:
        progress = Progress.from_json(record.state)
    except ValueError:
        log.warning("preparation %d has unreadable state; starting it over", record.id)
        progress = engine.start(script)
    progress = engine.resume(script, progress)
    svc.progress_cache.put(key, progress)
    return progress


def remember_progress(svc: Services, script_id: str, state: str, progress: Progress) -> None:
    """Memoise a Progress that was just stored as ``state`` (it is valid for this script)."""
    svc.progress_cache.put((script_id, state), progress)
