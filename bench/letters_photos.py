"""The photo half of ``bench/letters.py``: OCR seconds per photo, and whether reading photos slows anyone else.

Run on its own (``python bench/letters_photos.py``) or through ``bench/letters.py``.

1. Every rendered test photo (``tests/data/letters/photos``) is read once by ``PhotoReader``,
   one after another: wall seconds per photo (worker start included) and CPU seconds.
2. The real Application (same factory, handlers and SQLite as production; the in-process fake
   Bot API) answers glossary questions from ``--others`` users, each asking, waiting for the
   answer, pausing 10 ms and asking again. Rounds alternate: without photos, and with 4 photos
   being read all the time (4 parents; each sends the next photo when theirs is answered).
   The p99 of the other users' answers is compared: the ratio must stay <= 1.2.

The machine is shared: run it when little else runs, and read the ratio, not the milliseconds.
"""

from __future__ import annotations

import asyncio
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
from bot.letters.reading import PhotoReader  # noqa: E402

PHOTOS = sorted((ROOT / "tests" / "data" / "letters" / "photos").glob("*.jpg"))
LETTERS = [photo.parent.parent.joinpath(f"{photo.stem}.txt").read_text(encoding="utf-8") for photo in PHOTOS]
PHOTOS_AT_ONCE = 4
MAX_RATIO = 1.2
QUESTIONS = ("wat is een opp", "tlv", "ما هو opp", "co to jest TLV", "o.p.p.", "samenwerkingsverband", "ib'er")


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def ocr_seconds(reader: PhotoReader) -> tuple[float, float]:
    """Mean wall and CPU seconds to read one photo (one at a time, nothing else running)."""
    walls, cpus = [], []
    for photo in PHOTOS:
        reading = await reader.read(photo.read_bytes(), "image")
        walls.append(reading.seconds)
        cpus.append(reading.cpu_seconds)
    return statistics.mean(walls), statistics.mean(cpus)


async def others_p99(
    app: Any, api: FakeBotApi, users: int, seconds: float, photos: bool, typed_every: float | None = None
) -> tuple[float, int, int]:
    """p99 (ms) of other users' glossary answers for ``seconds``.

    With ``photos``, 4 parents keep a photo each being read meanwhile. With ``typed_every``, 4
    parents instead paste the same letters as text, one each ``typed_every`` seconds: the same
    letter answers without OCR, to tell OCR's share from the letter screen's.
    """
    # The photo updates are made first: the fake Telegram makes each photo's thumbnails with Pillow,
    # work Telegram's servers do, not the bot, and it must not run on the loop being measured.
    uploads = {
        9_000 + p: [
            api.user_sends_photo(9_000 + p, content=PHOTOS[(p + 4 * n) % len(PHOTOS)].read_bytes(), enqueue=False)
            for n in range(int(seconds) + 2)
        ]
        for p in range(PHOTOS_AT_ONCE if photos else 0)
    }
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    photos_read = 0

    async def ask(user: int) -> None:
        n = user
        while time.monotonic() < stop:
            raw = api.user_sends_text(user, QUESTIONS[n % len(QUESTIONS)], language_code="nl", enqueue=False)
            n += 1
            started = time.perf_counter()
            await app.process_update(Update.de_json(raw, app.bot))
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.01)

    async def send_photos(user: int) -> None:
        nonlocal photos_read
        for raw in uploads[user]:
            if time.monotonic() >= stop:
                break
            await app.process_update(Update.de_json(raw, app.bot))
            photos_read += 1

    async def paste_letters(user: int) -> None:
        nonlocal photos_read
        n = user
        while time.monotonic() < stop:
            text = LETTERS[n % len(LETTERS)]
            n += 1
            raw = api.user_sends_text(user, text, language_code="ar", enqueue=False)
            await app.process_update(Update.de_json(raw, app.bot))
            photos_read += 1
            await asyncio.sleep(typed_every or 0)

    tasks = [ask(1_000 + u) for u in range(users)]
    if photos:
        tasks += [send_photos(user) for user in uploads]
    elif typed_every is not None:
        tasks += [paste_letters(9_500 + p) for p in range(PHOTOS_AT_ONCE)]
    await asyncio.gather(*tasks)
    return p99(latencies), len(latencies), photos_read


async def measure(others: int = 8, seconds: float = 8.0, rounds: int = 6) -> dict[str, float] | None:
    reader = PhotoReader()
    if not reader.can_ocr:
        print("photos: not measured: Tesseract's Dutch data or tesserocr is missing")
        return None
    wall, cpu = await ocr_seconds(reader)
    print(f"OCR: {wall:.2f} s per photo (worker start included), {cpu:.2f} s CPU, {len(PHOTOS)} photos one by one")

    folder = Path(tempfile.mkdtemp())
    settings = Settings(db_path=folder / "bench.sqlite3", content_root=ROOT, token=None, flood_limit=1_000_000)
    api = FakeBotApi(token=OFFLINE_TOKEN)
    app = build_application(settings, request=InProcessRequest(api), rate_limited=False)
    await app.initialize()
    await start_services(app)
    try:
        without, with_photos, typed = [], [], []
        every = 1.0
        for round_ in range(rounds):  # alternate (and turn the order), so load elsewhere hits all sides
            if round_ % 2:
                pasted, _, n_pasted = await others_p99(app, api, others, seconds, photos=False, typed_every=every)
            busy, n_busy, read = await others_p99(app, api, others, seconds, photos=True)
            base, n_base, _ = await others_p99(app, api, others, seconds, photos=False)
            every = seconds * PHOTOS_AT_ONCE / max(read, 1)  # the same letters at the photos' pace
            if not round_ % 2:
                pasted, _, n_pasted = await others_p99(app, api, others, seconds, photos=False, typed_every=every)
            without.append(base)
            with_photos.append(busy)
            typed.append(pasted)
            print(
                f"round {round_ + 1}: others' p99 {base:6.2f} ms without letters ({n_base} answers) | "
                f"{busy:6.2f} ms while {PHOTOS_AT_ONCE} photos are read ({n_busy} answers, {read} photos) | "
                f"{pasted:6.2f} ms while the same letters are pasted as text ({n_pasted} letters)"
            )
    finally:
        await stop_services(app)
        await app.shutdown()
    base_ms, busy_ms, typed_ms = statistics.median(without), statistics.median(with_photos), statistics.median(typed)
    ratio = busy_ms / base_ms
    verdict = "met" if ratio <= MAX_RATIO else "NOT met"
    print(f"others' p99 with/without photos: {busy_ms:.2f} / {base_ms:.2f} ms = {ratio:.2f} (<= {MAX_RATIO}): {verdict}")
    print(f"others' p99 with photos / with the same letters typed: {busy_ms / typed_ms:.2f} (OCR's own share)")
    return {
        "others_p99_ms_with_typed_letters": typed_ms,
        "ocr_seconds_per_photo": wall,
        "ocr_cpu_seconds_per_photo": cpu,
        "others_p99_ms_with_photos": busy_ms,
        "others_p99_ms_without": base_ms,
        "others_p99_ratio": ratio,
    }


if __name__ == "__main__":
    asyncio.run(measure())
