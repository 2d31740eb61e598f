"""How fast is a letter read? Run on demand: ``python bench/letters.py``.

Scans letters of about 1,000, 5,000 and 20,000 characters (made of the test letters in
``tests/data/letters/``, paragraphs shuffled into many different letters) with the real
glossary, and prints p50/p99 of the scan (``LetterScanner.scan``) and of the whole read
(scan + dates, phone numbers, e-mail addresses: ``LetterReader.read``). The scan must grow
about linearly with the letter: 20k/1k <= 25x (20x the text).

The photo part (OCR seconds per photo; other users' glossary p99 while 4 photos are read,
against the same run without photos) is measured by ``measure_photos`` -- filled in by the
photo/PDF branch; here it reports "not measured".

The last line is machine-readable:
``scan_p99_ms_1k=<n> scan_p99_ms_5k=<n> scan_p99_ms_20k=<n> growth_20k_over_1k=<n> [ocr_...]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.glossary.service import Glossary  # noqa: E402
from bot.i18n.catalogs import Catalogs  # noqa: E402
from bot.letters.reader import LetterReader  # noqa: E402

SIZES = (1_000, 5_000, 20_000)
#: The scan may grow by at most this much from 1k to 20k characters (the text grows 20x).
MAX_GROWTH = 25.0
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def letters_of(size: int, count: int, seed: int = 5) -> list[str]:
    """``count`` different letters of about ``size`` characters: test-letter paragraphs, shuffled."""
    paragraphs = [
        paragraph
        for path in sorted((ROOT / "tests" / "data" / "letters").glob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if paragraph.strip()
    ]
    rng = random.Random(seed + size)
    letters = []
    for _ in range(count):
        parts: list[str] = []
        while len("\n\n".join(parts)) < size:
            parts.append(rng.choice(paragraphs))
        letters.append("\n\n".join(parts)[:size])
    return letters


def timed(function: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    """Milliseconds per call, over ``rounds`` passes through ``texts`` (after one warm-up pass)."""
    for text in texts:
        function(text)
    timings = []
    for _ in range(rounds):
        for text in texts:
            begin = time.perf_counter_ns()
            function(text)
            timings.append((time.perf_counter_ns() - begin) / 1e6)
    return sorted(timings)


def p99(ordered: list[float]) -> float:
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def measure_photos(reader: LetterReader) -> dict[str, float] | None:
    """OCR seconds per photo, and other users' glossary p99 while 4 photos are read vs without.

    Left for the photo/PDF branch (Tesseract, the OCR pool): it returns e.g.
    ``{"ocr_seconds_per_photo": 2.1, "others_p99_ms_with_photos": 1.3, "others_p99_ms_without": 1.2}``.
    """
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=30, help="different letters per size")
    parser.add_argument("--rounds", type=int, default=5, help="passes through them")
    args = parser.parse_args()

    logging.getLogger("bot.i18n.catalogs").setLevel(logging.ERROR)
    catalogs = Catalogs(ROOT / "locales", cache_dir=Path(tempfile.mkdtemp()) / "locales")
    catalogs.load()
    start = time.perf_counter()
    reader = LetterReader(Glossary.load(ROOT / "glossary", catalogs))
    print(f"letter reader built in {(time.perf_counter() - start) * 1000:.0f} ms")

    scan_p99: dict[int, float] = {}
    for size in SIZES:
        texts = letters_of(size, args.letters)
        scans = timed(reader.scanner.scan, texts, args.rounds)
        reads = timed(lambda text: reader.read(text, "ar", NOW), texts, args.rounds)
        scan_p99[size] = p99(scans)
        terms = statistics.mean(len({f.key for f in reader.scanner.scan(text)}) for text in texts)
        print(
            f"{size:>6} chars: scan p50 {statistics.median(scans):6.2f} ms  p99 {p99(scans):6.2f} ms | "
            f"read (scan + dates, phones, e-mail) p50 {statistics.median(reads):6.2f} ms  p99 {p99(reads):6.2f} ms"
            f" | {terms:.1f} distinct terms"
        )
    growth = scan_p99[SIZES[-1]] / scan_p99[SIZES[0]]
    verdict = "met" if growth <= MAX_GROWTH else "NOT met"
    print(f"growth 20k/1k: {growth:.1f}x for 20x the text (target <= {MAX_GROWTH:.0f}x): {verdict}")

    photos = measure_photos(reader)
    extra = ""
    if photos is None:
        print("photos: not measured here (see measure_photos)")
    else:
        extra = " " + " ".join(f"{name}={value:.3f}" for name, value in photos.items())
    print(
        f"scan_p99_ms_1k={scan_p99[1_000]:.3f} scan_p99_ms_5k={scan_p99[5_000]:.3f} "
        f"scan_p99_ms_20k={scan_p99[20_000]:.3f} growth_20k_over_1k={growth:.2f}{extra}"
    )


if __name__ == "__main__":
    main()
