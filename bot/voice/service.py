"""The voice feature as the handlers use it: can this language be heard, and the voice for a text.

Built once by the application factory (``Services.voice``). Where espeak-ng or opusenc
is not installed, or ``SAMENSPRAAK_VOICE=off``, ``can_speak`` is False for every
language: no button is shown and nothing else changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.glossary.service import Glossary, TermText
from bot.letters.scan import LetterScanner
from bot.storage.cache import LRU
from bot.voice.cache import VoiceCache, voice_key
from bot.voice.languages import voice_for
from bot.voice.ogg import read_ogg_opus
from bot.voice.speech import Segment, segments
from bot.voice.ssml import to_ssml
from bot.voice.synth import Synthesizer, VoiceError, find_programs
from bot.voice.words import DutchWords

log = logging.getLogger(__name__)

__all__ = ["SPEECH_RULES", "Voice", "VoiceService", "term_speech"]

#: Part of every cache key with the text: change it when speech.py, ssml.py or words.py change what
#: is said for the same text, so no parent hears a voice made by the old rules.
SPEECH_RULES = "speech-1"


@dataclass(frozen=True)
class Voice:
    """One voice message ready to send: its bytes (or Telegram's file_id) and its duration."""

    key: str | None  # cache key; None for a parent's own letter or invitation (never kept)
    data: bytes | None
    file_id: str | None
    duration: int


def term_speech(term: TermText, view: str) -> tuple[str, list[str]]:
    """What a glossary screen says aloud, and the Dutch spans in it: name, Dutch term, then the text.

    ``view`` is the screen's: the short answer (t), "more" (d) or "what can I do" (a).
    """
    body = {"t": term.short, "d": term.detail, "a": term.actions}[view]
    heading = term.dutch if term.name.strip().lower() in term.dutch.lower() else f"{term.name}.\n{term.dutch}"
    return f"{heading}.\n{body}", [term.dutch]


class VoiceService:
    """Speech for the bot: availability, segments, the synthesizer and the cache."""

    def __init__(
        self,
        glossary: Glossary,
        scanner: LetterScanner,
        *,
        enabled: bool,
        programs: tuple[str, str],
        cache_dir: Path,
        cache_bytes: int,
    ) -> None:
        found = find_programs(*programs) if enabled else None
        self.synth = Synthesizer(*found) if found else None
        self.words = DutchWords(glossary.terms, scanner)
        self.cache = VoiceCache(cache_dir, cache_bytes)
        self.engine = ""
        #: Users already told that the voice is a computer's (in memory only; /wis forgets them).
        self._told: LRU[int, bool] = LRU(100_000)

    @property
    def available(self) -> bool:
        return self.synth is not None

    async def start(self) -> None:
        """Ask both programs for their versions (the cache key); a program that fails switches voice off."""
        if self.synth is None:
            log.info("voice messages off: espeak-ng or opusenc not installed")
            return
        try:
            self.engine = await asyncio.to_thread(self.synth.version)
        except Exception as exc:  # a broken install: the rest of the bot works without voice
            log.warning("voice messages off: %s", type(exc).__name__)
            self.synth = None

    def close(self) -> None:
        if self.synth is not None:
            self.synth.close()

    def can_speak(self, language: str) -> bool:
        """True when a "Listen" button may be shown for text in ``language``."""
        return self.synth is not None and voice_for(language) is not None

    def speech(self, text: str, language: str, dutch: Iterable[str] = ()) -> list[Segment]:
        return segments(text, language, self.words.finder(language), dutch)

    def ssml(self, text: str, language: str, dutch: Iterable[str] = ()) -> str:
        voice = voice_for(language)
        if voice is None:
            raise VoiceError(f"no voice for {language}")
        return to_ssml(self.speech(text, language, dutch), voice, self.words.abbreviations)

    async def voice(self, text: str, language: str, dutch: Iterable[str] = (), *, keep: bool) -> Voice:
        """The voice message for ``text``. ``keep``: content that is the same for everyone (cached,
        file_id reused); False for a parent's letter or invitation (made, sent, forgotten).

        The event loop only hashes the text; the cache is read on a thread, and writing the SSML,
        speaking and keeping the file happen on the voice worker (``Synthesizer.submit``).
        """
        voice = voice_for(language)
        if self.synth is None or voice is None:
            raise VoiceError("voice not available")
        dutch = tuple(dutch)
        key = voice_key("\x00".join((SPEECH_RULES, text, *dutch)), voice, self.engine) if keep else None
        if key is not None:
            file_id, cached = await asyncio.to_thread(self._lookup, key)
            if cached is not None:
                return Voice(key, None if file_id else cached, file_id, _duration(cached))
        data = await self.synth.submit(self._make, text, language, dutch, voice, key)
        return Voice(key, data, None, _duration(data))

    def _lookup(self, key: str) -> tuple[str | None, bytes | None]:
        return self.cache.file_id(key), self.cache.get(key)

    def _make(self, text: str, language: str, dutch: tuple[str, ...], voice: str, key: str | None) -> bytes:
        """On the voice worker: SSML, speech, and (for shared content) the cache."""
        assert self.synth is not None
        data = self.synth.make(self.ssml(text, language, dutch), voice)
        if key is not None:
            self.cache.put(key, data)
        return data

    def remember_file_id(self, key: str | None, file_id: str | None) -> None:
        if key is not None and file_id:
            self.cache.remember_file_id(key, file_id)

    async def upload_again(self, voice: Voice) -> Voice:
        """Telegram refused the kept file_id: forget it, and hand back the file's bytes to upload."""
        if voice.key is None:
            return voice
        self.cache.forget_file_id(voice.key)
        data = await asyncio.to_thread(self.cache.get, voice.key)
        return Voice(voice.key, data, None, voice.duration)

    def first_voice(self, user_id: int) -> bool:
        """True the first time this user gets a voice message (since start): then we say it is synthetic."""
        if self._told.get(user_id) is True:
            return False
        self._told.put(user_id, True)
        return True

    def forget_user(self, user_id: int) -> None:
        self._told.pop(user_id)


def _duration(data: bytes) -> int:
    info = read_ogg_opus(data)
    if info is None:
        raise VoiceError("opusenc wrote something that is not OGG/Opus")
    return max(1, round(info.duration))
