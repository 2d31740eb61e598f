"""PhotoReader with its real worker process: what it reads, what it refuses, and that it stays within its limits.

Tesseract with its Dutch data must be installed for the OCR cases (CI installs it); they skip
with the reason otherwise. PDFs with a text layer are read without Tesseract.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bot.letters.ocr import looks_like_dutch
from bot.letters.reading import PhotoReader, ReadingLimits, ReadStatus

DATA = Path(__file__).resolve().parents[1] / "data" / "letters"
needs_tesseract = pytest.mark.skipif(
    not PhotoReader().can_ocr,
    reason="Tesseract's Dutch data (apt-get install tesseract-ocr tesseract-ocr-nld) or tesserocr is missing",
)


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def no_ocr(tmp_path: Path) -> PhotoReader:
    """A reader pointed at a folder without Tesseract's data: as on a machine without Tesseract."""
    return PhotoReader(tmp_path / "no-tessdata")


async def test_a_pdf_with_a_text_layer_is_read_without_tesseract(no_ocr: PhotoReader) -> None:
    reading = await no_ocr.read((DATA / "pdf" / "02_tlv_besluit.pdf").read_bytes(), "pdf")
    typed = (DATA / "02_tlv_besluit.txt").read_text(encoding="utf-8")
    assert reading.status is ReadStatus.OK
    assert reading.pages == reading.pages_total == 1
    assert typed.split()[:6] == reading.text.split()[:6]  # the text layer, word for word


async def test_without_tesseract_photos_and_scans_say_so(no_ocr: PhotoReader) -> None:
    assert not no_ocr.can_ocr
    photo = await no_ocr.read((DATA / "photos" / "01_opp_uitnodiging.jpg").read_bytes(), "image")
    scan = await no_ocr.read((DATA / "pdf" / "01_opp_uitnodiging-scan.pdf").read_bytes(), "pdf")
    assert (photo.status, scan.status) == (ReadStatus.NO_OCR, ReadStatus.NO_OCR)


async def test_broken_files_and_locked_pdfs_are_named_as_such(no_ocr: PhotoReader) -> None:
    jpeg = (DATA / "photos" / "01_opp_uitnodiging.jpg").read_bytes()
    assert (await no_ocr.read(b"\x00" * 2_000, "pdf")).status is ReadStatus.BROKEN
    assert (await no_ocr.read(b"%PDF-1.7\n" + jpeg[:3_000], "pdf")).status is ReadStatus.BROKEN
    assert (await no_ocr.read((DATA / "pdf" / "met-wachtwoord.pdf").read_bytes(), "pdf")).status is ReadStatus.LOCKED


async def test_only_the_first_pages_of_a_long_pdf_are_read(no_ocr: PhotoReader) -> None:
    reading = await no_ocr.read((DATA / "pdf" / "zeven-brieven.pdf").read_bytes(), "pdf")
    assert reading.status is ReadStatus.OK
    assert (reading.pages, reading.pages_total) == (no_ocr.limits.max_pages, 7)


async def test_too_many_bytes_is_refused_without_starting_a_worker(tmp_path: Path) -> None:
    reader = PhotoReader(tmp_path, limits=ReadingLimits(max_bytes=1_000))
    reading = await reader.read(b"%PDF" + b"x" * 2_000, "pdf")
    assert reading.status is ReadStatus.TOO_BIG and reading.cpu_seconds == 0


@needs_tesseract
async def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = png(Image.new("1", (12_000, 12_000), 1))  # 144 megapixels in ~20 kB
    assert len(bomb) < 100_000
    reading = await PhotoReader().read(bomb, "image")
    assert reading.status is ReadStatus.TOO_BIG
    assert reading.cpu_seconds < 0.5  # refused before decoding (decoding alone takes longer)


@needs_tesseract
async def test_a_broken_jpeg_is_broken_not_a_crash() -> None:
    jpeg = (DATA / "photos" / "01_opp_uitnodiging.jpg").read_bytes()
    for data in (jpeg[:200], b"GIF89a" + b"\x00" * 100, b"not an image at all"):
        assert (await PhotoReader().read(data, "image")).status is ReadStatus.BROKEN


@needs_tesseract
async def test_a_picture_without_a_letter_has_no_text() -> None:
    """A cat (drawn), and a page of English: OCR finds no Dutch letter in either."""
    cat = Image.new("RGB", (960, 1280), (120, 160, 90))
    draw = ImageDraw.Draw(cat)
    draw.ellipse((250, 450, 710, 1000), fill=(200, 140, 60))  # body
    draw.ellipse((330, 250, 630, 540), fill=(210, 150, 70))  # head
    draw.polygon([(350, 300), (390, 170), (450, 280)], fill=(210, 150, 70))  # ears
    draw.polygon([(510, 280), (570, 170), (610, 300)], fill=(210, 150, 70))
    draw.ellipse((400, 350, 440, 390), fill=(20, 20, 20))
    draw.ellipse((520, 350, 560, 390), fill=(20, 20, 20))
    english = Image.new("L", (1240, 1754), 255)
    font = ImageFont.load_default(size=34)
    for row, line in enumerate(
        [
            "Dear parents and carers,",
            "Next Friday the children will visit the museum with their class.",
            "Please make sure that your child brings a packed lunch and a coat.",
            "The bus leaves at nine o'clock and returns at three in the afternoon.",
            "Thank you for your help, and kind regards from all the teachers.",
        ]
    ):
        ImageDraw.Draw(english).text((120, 150 + 60 * row), line, font=font, fill=20)
    reader = PhotoReader()
    for image in (cat, english):
        assert (await reader.read(png(image), "image")).status is ReadStatus.NO_TEXT


@needs_tesseract
async def test_a_sideways_photo_is_turned_and_read() -> None:
    upright = Image.open(DATA / "photos" / "02_tlv_besluit.jpg")
    reading = await PhotoReader().read(png(upright.rotate(90, expand=True)), "image")
    assert reading.status is ReadStatus.OK and looks_like_dutch(reading.text)
    assert "toelaatbaarheidsverklaring" in reading.text.lower()


@needs_tesseract
async def test_a_scanned_pdf_is_read_by_ocr() -> None:
    reading = await PhotoReader().read((DATA / "pdf" / "03_schorsing-scan.pdf").read_bytes(), "pdf")
    assert reading.status is ReadStatus.OK
    assert "schorsing" in reading.text.lower()


@needs_tesseract
async def test_a_reading_over_its_time_is_killed() -> None:
    reader = PhotoReader(limits=ReadingLimits(timeout=0.05))
    reading = await reader.read((DATA / "photos" / "01_opp_uitnodiging.jpg").read_bytes(), "image")
    assert reading.status is ReadStatus.TIMEOUT


async def test_one_reading_at_a_time_and_a_bounded_queue(no_ocr: PhotoReader) -> None:
    """concurrency 1, nobody may wait: of two readings at once, one runs and one hears "busy"."""
    reader = PhotoReader(no_ocr.tessdata, limits=ReadingLimits(concurrency=1, max_waiting=0))
    pdf = (DATA / "pdf" / "01_opp_uitnodiging.pdf").read_bytes()
    first, second = await asyncio.gather(reader.read(pdf, "pdf"), reader.read(pdf, "pdf"))
    assert sorted([first.status, second.status]) == sorted([ReadStatus.OK, ReadStatus.BUSY])


async def test_the_worker_writes_nothing_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    reader = PhotoReader()
    await reader.read((DATA / "pdf" / "04_verzuim.pdf").read_bytes(), "pdf")
    if reader.can_ocr:
        await reader.read((DATA / "photos" / "04_verzuim.jpg").read_bytes(), "image")
    assert list(temp.iterdir()) == []
