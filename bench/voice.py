"""Voice messages: how long a voice takes to make, to re-send, and whether making them slows anyone else.

Run on demand: ``python bench/voice.py`` (about 2 minutes; needs espeak-ng and opusenc).

1. Synthesis + encoding: every glossary short text of 6 terms in the 15 languages with a voice,
   made by the bot's own ``Synthesizer`` (espeak-ng -> opusenc, as the bot runs them), one at a
   time: wall milliseconds and the programs' CPU milliseconds per 100 characters of text.
2. Through the real Application (in-process fake Bot API): the first press of "🔊" on an
   explanation (cold: synthesis, upload) against the same press by another parent (cached:
   Telegram's file_id, no synthesis, no upload), and the cache lookup alone.
3. Others' p99: ``--others`` users ask glossary questions (ask, wait for the answer, pause 10 ms),
   in alternating rounds without voices and while 2 parents keep pressing "🔊" on explanations
   not yet cached (each presses the next a second after the last press, or when their voice arrived). The ratio of the medians
   of the rounds' p99 must stay <= 1.2.

The machine is shared: read the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402

from bot.app import OFFLINE_TOKEN, build_application, start_services, stop_services  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.fakeapi.core import FakeBotApi  # noqa: E402
from bot.fakeapi.inprocess import InProcessRequest  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.voice.languages import VOICES  # noqa: E402
from bot.voice.service import term_speech  # noqa: E402

MAX_RATIO = 1.2
TERMS = ("tlv", "opp", "mr", "ib", "zorgplicht", "samenwerkingsverband")
QUESTIONS = ("wat is een opp", "tlv", "ما هو opp", "co to jest TLV", "o.p.p.", "samenwerkingsverband", "ib'er")
LISTENERS = 2
#: Each listener presses "🔊" on a new explanation once a second (or when the last voice came, if later):
#: 2 voices a second, far above what a school's parents would ask for, and the same load on every run.
PRESS_EVERY = 1.0


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def synthesis(svc: Services) -> tuple[float, float, float]:
    """(wall ms, CPU ms) per 100 characters, and seconds of speech per 100 characters."""
    assert svc.voice.synth is not None
    chars, wall, cpu, spoken = 0, 0.0, 0.0, 0.0
    from bot.voice.ogg import read_ogg_opus

    for language, voice in VOICES.items():
        for key in TERMS:
            text, dutch = term_speech(svc.glossary.text(key, language), "t")
            ssml = svc.voice.ssml(text, language, dutch)
            cpu_before, started = children_cpu(), time.perf_counter()
            data = await svc.voice.synth.render(ssml, voice)
            wall += time.perf_counter() - started
            cpu += children_cpu() - cpu_before
            chars += len(text)
            info = read_ogg_opus(data)
            spoken += info.duration if info else 0.0
    return wall * 1000 * 100 / chars, cpu * 1000 * 100 / chars, spoken * 100 / chars


async def show_term(app: Any, api: FakeBotApi, user: int, key: str, language: str) -> int:
    """A parent opens a term (``/start term_<key>``); returns the answer's message id."""
    raw = api.user_sends_text(user, f"/start term_{key}", language_code=language, enqueue=False)
    await app.process_update(Update.de_json(raw, app.bot))
    message = api.sent[-1].message
    return int(message["message_id"]) if message else 0


async def press(app: Any, api: FakeBotApi, user: int, key: str, language: str, message_id: int | None = None) -> float:
    """Press "🔊" under a term's answer; the milliseconds from the press to the voice sent."""
    if message_id is None:
        message_id = await show_term(app, api, user, key, language)
    raw = api.user_presses(user, message_id, f"v:t:{key}:{language}", language_code=language, enqueue=False)
    voices = sum(voice.chat_id == user for voice in api.voices)
    started = time.perf_counter()
    await app.process_update(Update.de_json(raw, app.bot))
    assert sum(voice.chat_id == user for voice in api.voices) == voices + 1, "no voice was sent"
    return (time.perf_counter() - started) * 1000


async def others_p99(
    app: Any,
    api: FakeBotApi,
    users: int,
    seconds: float,
    work: list[tuple[int, str, str, int]] | None,
    every: float = PRESS_EVERY,
) -> tuple[float, int, int]:
    """p99 (ms) of the others' answers; with ``work`` (user, key, language, message id of the term's
    answer, shown before the round), the listeners press "🔊" under each in turn meanwhile."""
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    made = 0

    async def ask(user: int) -> None:
        n = user
        while time.monotonic() < stop:
            raw = api.user_sends_text(user, QUESTIONS[n % len(QUESTIONS)], language_code="nl", enqueue=False)
            n += 1
            started = time.perf_counter()
            await app.process_update(Update.de_json(raw, app.bot))
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.01)

    async def listen(mine: list[tuple[int, str, str, int]]) -> None:
        nonlocal made
        while time.monotonic() < stop and mine:
            user, key, language, message_id = mine.pop()
            began = time.monotonic()
            await press(app, api, user, key, language, message_id)
            made += 1
            await asyncio.sleep(max(0.0, began + every - time.monotonic()))

    tasks = [ask(1_000 + u) for u in range(users)]
    if work is not None:
        tasks += [listen([w for w in work if w[0] == 9_000 + n]) for n in range(LISTENERS)]
    await asyncio.gather(*tasks)
    return p99(latencies), len(latencies), made


async def measure(
    others: int = 8, seconds: float = 8.0, rounds: int = 4, every: float = PRESS_EVERY
) -> dict[str, float] | None:
    if not (shutil.which("espeak-ng") and shutil.which("opusenc")):
        print("voice: not measured: espeak-ng or opusenc is not installed (apt-get install espeak-ng opus-tools)")
        return None
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        db_path=folder / "bench.sqlite3", content_root=ROOT, token=None, flood_limit=1_000_000,
        voice_cache_dir=folder / "voice",
    )  # fmt: skip
    api = FakeBotApi(token=OFFLINE_TOKEN)
    app = build_application(settings, request=InProcessRequest(api), rate_limited=False)
    await app.initialize()
    await start_services(app)
    svc: Services = app.bot_data["services"]
    try:
        wall, cpu, speech = await synthesis(svc)
        print(f"synthesis + encoding: {wall:.0f} ms wall, {cpu:.0f} ms CPU per 100 characters "
              f"({speech:.1f} s of speech per 100 characters; {len(VOICES)} languages x {len(TERMS)} terms)")  # fmt: skip

        colds, warms, lookups = [], [], []
        for n, key in enumerate(TERMS):
            colds.append(await press(app, api, 500 + n, key, "ar"))
            warms.append(await press(app, api, 600 + n, key, "ar"))
            text, dutch = term_speech(svc.glossary.text(key, "ar"), "t")
            started = time.perf_counter()
            await svc.voice.voice(text, "ar", dutch, keep=True)
            lookups.append((time.perf_counter() - started) * 1000)
        cold, warm, lookup = statistics.median(colds), statistics.median(warms), statistics.median(lookups)
        print(f"first voice (press to sent): cold {cold:.0f} ms, cached {warm:.1f} ms "
              f"(file_id re-sent, no upload) = {cold / warm:.0f}x; cache lookup alone {lookup:.2f} ms")  # fmt: skip

        # explanations nobody pressed yet: each press makes a new voice. The listeners' term screens
        # are shown before each round, so the rounds differ only in the voices being made.
        fresh = [(key, language) for key in svc.glossary.terms if key not in TERMS for language in VOICES]
        without, with_voices = [], []
        for round_ in range(rounds):  # alternate, so load elsewhere on the machine hits both sides
            order = (False, True) if round_ % 2 else (True, False)
            for busy in order:
                work = None
                if busy:
                    work = []
                    for n in range(int(seconds * 6)):
                        key, language = fresh.pop()
                        user = 9_000 + n % LISTENERS
                        work.append((user, key, language, await show_term(app, api, user, key, language)))
                result, answers, made = await others_p99(app, api, others, seconds, work, every)
                (with_voices if busy else without).append(result)
                label = f"while {LISTENERS} parents listen ({made} voices made)" if busy else "without voices"
                print(f"round {round_ + 1}: others' p99 {result:6.2f} ms {label} ({answers} answers)")
    finally:
        await stop_services(app)
        await app.shutdown()
    base, busy_ms = statistics.median(without), statistics.median(with_voices)
    ratio = busy_ms / base
    print(f"others' p99 with/without voices: {busy_ms:.2f} / {base:.2f} ms = {ratio:.2f} "
          f"(<= {MAX_RATIO}): {'met' if ratio <= MAX_RATIO else 'NOT met'}")  # fmt: skip
    return {"ms_per_100_chars": wall, "cpu_ms_per_100_chars": cpu, "cold_ms": cold, "cached_ms": warm,
            "lookup_ms": lookup, "others_p99_ratio": ratio}  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=PRESS_EVERY, help="seconds between one listener's presses")
    parser.add_argument("--rounds", type=int, default=4)
    arguments = parser.parse_args()
    asyncio.run(measure(rounds=arguments.rounds, every=arguments.every))
