"""The long-lived parts every handler needs, built once by the application factory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext

from bot.config import Settings
from bot.i18n import Catalogs
from bot.invitations.store import InvitationStore
from bot.letters.reading import PhotoReader
from bot.reminders.store import ReminderStore
from bot.storage.cache import LRU
from bot.storage.interface import Database, Repository

if TYPE_CHECKING:
    from bot.coach.engine import Progress
    from bot.coach.scene_model import Scene
    from bot.coach.script import Script
    from bot.forms import Form
    from bot.glossary.service import Glossary
    from bot.letters.reader import LetterReader
    from bot.voice.service import VoiceService


@dataclass
class Services:
    settings: Settings
    db: Database
    repo: Repository
    catalogs: Catalogs
    scripts: dict[str, Script]
    glossary: Glossary
    #: Reads letters for parents and teachers (bot/letters/): the glossary's forms as one automaton.
    letters: LetterReader
    invitations: InvitationStore
    reminders: ReminderStore
    #: Reads photographed and PDF letters in worker processes (bot/letters/reading.py).
    photo_reader: PhotoReader
    #: Voice messages: espeak-ng + opusenc, and the cache of spoken explanations (bot/voice/).
    voice: VoiceService
    #: The short forms (invitation, reflection) by id, composed by the application factory.
    forms: Mapping[str, Form] = field(default_factory=dict)
    #: Practice scenes (dialogues/oefenen), keyed by id.
    scenes: dict[str, Scene] = field(default_factory=dict)
    #: Parsed preparation states (bot/coach/progress_cache.py), keyed by (script id, stored JSON).
    progress_cache: LRU[tuple[str, str], Progress] = field(default_factory=lambda: LRU(1_000))
    #: Rendered glossary answers (text, encoded keyboard) by what they show (bot/glossary/handlers.py).
    #: Content only, no question text: nothing personal to erase.
    answer_screens: LRU[tuple[object, ...], tuple[str, str]] = field(default_factory=lambda: LRU(2_000))


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The Services of the running application (stored in bot_data by the factory)."""
    found: Services = context.application.bot_data["services"]
    return found
