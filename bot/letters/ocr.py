"""Photo or PDF of a letter in, its text out: the work of one reading, in a process of its own.

``bot.letters.reading`` starts ``python -m bot.letters.ocr`` once per photo or PDF, writes
the file's bytes to its standard input and reads one JSON line from its standard output.
Nothing touches the disk: the bytes, the page images and the text stay in this process's
memory and vanish with it. A process of its own, rather than a thread of the bot, because:

- OCR is seconds of CPU; at lower priority (``nice 10``) in another process it cannot slow
  the event loop that answers everyone else (bench/letters.py measures that);
- a hostile or broken file (a decompression bomb, a PDF that makes PDFium loop or crash)
  can at most exhaust this process's memory limit or be killed at the timeout;
- nothing of one parent's letter can linger for the next.

Images: Pillow checks the size from the header before decoding anything, turns the photo
upright by its EXIF tag, makes it grey and sharpens it a little (an unsharp mask: phone
photos are soft). Tesseract (through tesserocr, with its Dutch data) then reads it with
Sauvola's local threshold instead of one threshold for the whole page, because a photo's
light is uneven: a shadow on one side, a dim corner. Measured on the 18 rendered photos
(README "Letters: photos and PDFs"): word recall 0.81 without any of this, 0.92 with
Sauvola, 0.95 with sharpening too, at 0.40 s CPU a photo; evening out the light by hand
or enlarging the photo did worse. A letter is one column: reading it as one block of text
(rather than letting Tesseract look for columns) keeps a shadow from splitting lines in
two, which once made "voor" at a line's end read as "vo" (voortgezet onderwijs). When the
result has hardly any Dutch in it, the page may be sideways or upside down: a second pass
lets Tesseract find the orientation (OSD) and the layout itself.

PDFs: pypdfium2 reads the text layer; a page without one (a scan) is rendered at 200 dpi
and read like a photo. At most ``--max-pages`` pages are read.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import sys
import time
import warnings
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

#: A reading's outcome; ``bot.letters.reading.ReadStatus`` has the same values.
OK, NO_TEXT, TOO_BIG, BROKEN, LOCKED, NO_OCR = "ok", "no_text", "too_big", "broken", "locked", "no_ocr"

#: Resolution for rendering a scanned PDF page: A4 becomes 1654 x 2339 pixels.
PDF_DPI = 200
#: Photos larger than this (long side, pixels) are scaled down first: a 12-megapixel photo of
#: an A4 page holds no more readable text than this, and OCR time grows with the pixels.
MAX_SIDE = 3_000
#: Scheduling priority of the worker (and of its autogroup): below the bot, not starved.
NICE = 10
#: This process's memory ceiling: a decoded 40-megapixel page plus Tesseract fits easily.
MEMORY_LIMIT = 2 * 1024**3

_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class Result:
    status: str
    text: str = ""
    pages: int = 0
    pages_total: int = 0
    turned: bool = False


# -- is this Dutch text? ----------------------------------------------------------------------------
@cache
def common_dutch_words() -> frozenset[str]:
    """The most frequent Dutch words (data file beside this module, one a line)."""
    text = resources.files("bot.letters").joinpath("common_dutch_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def dutch_share(text: str) -> tuple[int, float]:
    """How many of the text's words are among the commonest Dutch words, and what share of all words.

    Running Dutch text is 30-45 % such words ("de", "het", "een", "van", "u" ...); OCR noise from a
    photo of a cat, or an English page, has few or none.
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return 0, 0.0
    known = common_dutch_words()
    hits = sum(1 for w in words if w in known)
    return hits, hits / len(words)


def looks_like_dutch(text: str, *, min_words: int = 5, min_share: float = 0.15) -> bool:
    hits, share = dutch_share(text)
    return hits >= min_words and share >= min_share


# -- images -------------------------------------------------------------------------------------------
class TooBig(Exception):
    """More pixels (or pages) than a letter needs: refused before decoding."""


def open_image(data: bytes, max_pixels: int) -> Image:
    """The image, upright and grey, checked against ``max_pixels`` before its pixels are decoded."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = None  # our own check below, on the header, is stricter and comes first
    opened = Image.open(io.BytesIO(data))
    if opened.width * opened.height > max_pixels:
        raise TooBig
    image = (ImageOps.exif_transpose(opened) or opened).convert("L")
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def sharpen(image: Image) -> Image:
    """A mild unsharp mask: the soft edges of a phone photo become letters Tesseract can separate."""
    from PIL import ImageFilter

    return image.filter(ImageFilter.UnsharpMask(radius=2, percent=80, threshold=2))


class Tesseract:
    """Tesseract through tesserocr, Dutch, one engine for the pages of one file."""

    def __init__(self, tessdata: Path) -> None:
        import tesserocr

        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=f"{tessdata}/", lang="nld", psm=tesserocr.PSM.SINGLE_BLOCK)
        self._api.SetVariable("thresholding_method", "2")  # Sauvola: a threshold per neighbourhood
        self._osd = (tessdata / "osd.traineddata").exists()

    def read(self, image: Image) -> tuple[str, bool]:
        """The page's text, and whether it had to be turned (sideways or upside down) first."""
        self._api.SetPageSegMode(self._tesserocr.PSM.SINGLE_BLOCK)
        self._api.SetImage(image)
        text = str(self._api.GetUTF8Text())
        if looks_like_dutch(text) or not self._osd:
            return text, False
        self._api.SetPageSegMode(self._tesserocr.PSM.AUTO_OSD)
        self._api.SetImage(image)
        turned = str(self._api.GetUTF8Text())
        if dutch_share(turned)[0] > dutch_share(text)[0]:
            return turned, True
        return text, False


def read_image(data: bytes, tessdata: Path | None, max_pixels: int) -> Result:
    from PIL import UnidentifiedImageError

    try:
        image = open_image(data, max_pixels)
    except TooBig:
        return Result(TOO_BIG)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return Result(BROKEN)  # not an image Pillow knows, or truncated / corrupt
    if tessdata is None:
        return Result(NO_OCR)
    text, turned = Tesseract(tessdata).read(sharpen(image))
    return Result(OK if looks_like_dutch(text) else NO_TEXT, text.strip(), 1, 1, turned)


# -- PDFs ---------------------------------------------------------------------------------------------
def read_pdf(data: bytes, tessdata: Path | None, max_pixels: int, max_pages: int) -> Result:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        password = getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD
        return Result(LOCKED if password else BROKEN)
    total = len(document)
    if total == 0:
        return Result(BROKEN)
    read = min(total, max_pages)
    texts = [_page_text(document, n) for n in range(read)]
    if looks_like_dutch("\n".join(texts)):  # a text layer, as a school's word processor writes it
        return Result(OK, _join(texts), read, total)
    if tessdata is None:
        return Result(NO_OCR, pages=read, pages_total=total)
    reader = Tesseract(tessdata)
    turned_any = False
    for n in range(read):
        if looks_like_dutch(texts[n]):
            continue
        try:
            image = _render(document, n, max_pixels)
        except TooBig:
            return Result(TOO_BIG, pages=read, pages_total=total)
        texts[n], turned = reader.read(sharpen(image))
        turned_any = turned_any or turned
    text = _join(texts)
    return Result(OK if looks_like_dutch(text) else NO_TEXT, text, read, total, turned_any)


def _page_text(document: object, index: int) -> str:
    page = document[index]  # type: ignore[index]
    return str(page.get_textpage().get_text_bounded()).replace("\r\n", "\n")


def _render(document: object, index: int, max_pixels: int) -> Image:
    """The page as a grey image at PDF_DPI; a page so large that this breaks the pixel limit is refused."""
    page = document[index]  # type: ignore[index]
    width, height = page.get_size()  # points, 1/72 inch
    scale = PDF_DPI / 72
    if width * height * scale * scale > max_pixels:
        raise TooBig
    return page.render(scale=scale, grayscale=True).to_pil().convert("L")  # type: ignore[no-any-return]


def _join(texts: list[str]) -> str:
    return "\n\n".join(t.strip() for t in texts if t.strip())


# -- the process --------------------------------------------------------------------------------------
def limit_this_process(cpu_seconds: int) -> None:
    """Low priority, a memory ceiling and a CPU-time ceiling, before any byte of the file is looked at.

    The worker stays in the bot's scheduling group (Linux "autogroup", one per session), where its
    nice 10 gives the bot ~90 % of the group's CPU. A session of its own at nice 10 (or 19) was
    measured too: on this shared machine every other program then came first, and a photo took
    7.7 s (11.7 s) instead of 1.0-1.8 s, for no clear gain in the others' p99 (bench/letters.py).
    """
    os.nice(NICE)
    for limit, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_CPU, cpu_seconds)):
        _soft, hard = resource.getrlimit(limit)
        if hard == resource.RLIM_INFINITY or value < hard:
            resource.setrlimit(limit, (value, hard if hard != resource.RLIM_INFINITY else value))


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Read the letter on stdin (a photo or a PDF); print JSON.")
    parser.add_argument("kind", choices=("image", "pdf"))
    parser.add_argument("--tessdata", type=Path, help="folder with nld.traineddata; absent: no OCR")
    parser.add_argument("--max-pixels", type=int, default=40_000_000)
    parser.add_argument("--max-pages", type=int, default=5)
    parser.add_argument("--cpu-seconds", type=int, default=120)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # before Tesseract loads: its threads only fight each other here
    limit_this_process(args.cpu_seconds)
    warnings.simplefilter("ignore")  # library warnings on stderr would say nothing the status does not
    data = sys.stdin.buffer.read()
    started = time.process_time()
    if args.kind == "image":
        result = read_image(data, args.tessdata, args.max_pixels)
    else:
        result = read_pdf(data, args.tessdata, args.max_pixels, args.max_pages)
    out = {**asdict(result), "cpu_seconds": round(time.process_time() - started, 3)}
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
