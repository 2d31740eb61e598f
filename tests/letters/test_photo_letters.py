"""Photos and PDFs of letters through the real Application and the fake Bot API, as parents send them.

Every rendered photo in ``tests/data/letters/photos`` is read once (a module fixture: OCR is
~0.5 s of CPU a photo) by an Arabic-speaking parent; recall and false terms are computed over
all of them from the letters' JSON files. The OCR cases skip where Tesseract is not installed.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bot.letters.reading import PhotoReader
from tests.harness import BotHarness, Reply, build_harness, make_settings
from tests.letters.letters_data import LETTERS_DIR, load_letters

LETTERS = {letter.name: letter for letter in load_letters()}
PHOTOS = sorted((LETTERS_DIR / "photos").glob("*.jpg"))
PDFS = LETTERS_DIR / "pdf"
ARABIC = re.compile("[\u0600-\u06ff]")
needs_tesseract = pytest.mark.skipif(
    not PhotoReader().can_ocr,
    reason="Tesseract's Dutch data (apt-get install tesseract-ocr tesseract-ocr-nld) or tesserocr is missing",
)


def term_keys(replies: list[Reply], language: str) -> list[str]:
    """The terms the answer explains: one button ``g:t:<key>:<language>`` per term."""
    datas = [data for reply in replies for row in reply.buttons for _, data in row if data.startswith("g:t:")]
    assert all(data.endswith(f":{language}") for data in datas), datas
    return [data.split(":")[2] for data in datas]


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class PhotoRun:
    replies: dict[str, list[Reply]]
    actions: dict[str, list[str]]
    rejected: list[object]
    errors: list[str]


@pytest.fixture(scope="module")
def photo_run(tmp_path_factory: pytest.TempPathFactory) -> PhotoRun:
    """Every test photo sent once by its own Arabic-speaking parent; what the bot did for each."""
    if not PhotoReader().can_ocr:
        pytest.skip("Tesseract's Dutch data or tesserocr is missing")

    async def run() -> PhotoRun:
        bot = build_harness(make_settings(tmp_path_factory.mktemp("photos")))
        errors: list[str] = []
        handler = _Collect(errors)
        logging.getLogger().addHandler(handler)
        await bot.start()
        try:
            replies, actions = {}, {}
            for number, photo in enumerate(PHOTOS):
                user = 500 + number
                start = len(bot.api.sent)
                await bot.feed(
                    bot.api.user_sends_photo(user, content=photo.read_bytes(), language_code="ar", enqueue=False)
                )
                replies[photo.stem] = bot.new_replies(user)
                actions[photo.stem] = [s.method for s in bot.api.sent[start:] if s.chat_id == user]
            return PhotoRun(replies, actions, list(bot.rejected()), errors)
        finally:
            await bot.stop()
            logging.getLogger().removeHandler(handler)

    return asyncio.run(run())


class _Collect(logging.Handler):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        self.errors.append(record.getMessage())


def test_every_photo_is_answered_in_arabic_with_90_percent_recall_and_no_false_term(photo_run: PhotoRun) -> None:
    assert len(PHOTOS) >= 15
    expected = found = false = 0
    for name, replies in photo_run.replies.items():
        letter = LETTERS[name]
        keys = term_keys(replies, "ar")
        expected += len(letter.terms)
        found += sum(1 for key in letter.terms if key in keys)
        false += sum(1 for key in keys if key not in letter.terms)
        if [key for key in keys if key not in letter.terms] or [key for key in letter.terms if key not in keys]:
            print(
                name,
                "missed",
                [k for k in letter.terms if k not in keys],
                "false",
                [k for k in keys if k not in letter.terms],
            )
        text = "\n".join(reply.text for reply in replies)
        assert ARABIC.search(text) and "ken ik (nog) niet" not in text, name
    recall = found / expected
    print(f"photos={len(PHOTOS)} expected terms={expected} recall={recall:.3f} false terms={false}")
    assert recall >= 0.90 and false == 0
    assert photo_run.rejected == [] and photo_run.errors == []


def test_while_a_photo_is_read_the_parent_sees_a_note_and_typing_and_the_note_goes(photo_run: PhotoRun) -> None:
    for name, actions in photo_run.actions.items():
        assert actions[0] == "sendMessage" and "sendChatAction" in actions, name  # the note, then "typing..."
        assert "deleteMessage" in actions, name  # the note is gone once the answer is there
        first = photo_run.replies[name][0].text
        assert ARABIC.search(first) and "📷" in first, name  # the note was in Arabic


async def _send_document(
    bot: BotHarness, user: int, name: str, content: bytes | None, mime: str, *, lang: str, size: int | None = None
) -> list[Reply]:
    raw = bot.api.user_sends_document(
        user, name, mime_type=mime, content=content, file_size=size, language_code=lang, enqueue=False
    )
    await bot.feed(raw)
    return bot.new_replies(user)


async def test_a_pdf_with_a_text_layer_is_answered_like_the_typed_letter(bot: BotHarness) -> None:
    letter = LETTERS["02_tlv_besluit"]
    replies = await _send_document(
        bot, 40, "brief.pdf", (PDFS / "02_tlv_besluit.pdf").read_bytes(), "application/pdf", lang="tr"
    )
    assert sorted(term_keys(replies, "tr")) == sorted(letter.terms)
    assert "📄" in replies[0].text and bot.rejected() == []


@needs_tesseract
async def test_a_scanned_pdf_and_a_forwarded_photo_are_read(bot: BotHarness) -> None:
    letter = LETTERS["03_schorsing"]
    scan = await _send_document(
        bot, 41, "scan.pdf", (PDFS / "03_schorsing-scan.pdf").read_bytes(), "application/pdf", lang="pl"
    )
    assert set(term_keys(scan, "pl")) <= set(letter.terms) and len(term_keys(scan, "pl")) >= 0.9 * len(letter.terms)
    origin = {"type": "hidden_user", "date": 1_765_000_000, "sender_user_name": "Ouderapp"}
    photo = (LETTERS_DIR / "photos" / "01_opp_uitnodiging.jpg").read_bytes()
    await bot.feed(
        bot.api.user_sends_photo(42, content=photo, forward_origin=origin, language_code="uk", enqueue=False)
    )
    assert "opp" in term_keys(bot.new_replies(42), "uk")


async def test_a_long_pdf_is_read_up_to_its_limit_and_the_parent_is_told(bot: BotHarness) -> None:
    replies = await _send_document(
        bot, 43, "brieven.pdf", (PDFS / "zeven-brieven.pdf").read_bytes(), "application/pdf", lang="en"
    )
    assert "this PDF has 7 pages" in replies[-1].text and "first 5" in replies[-1].text


async def test_files_that_cannot_be_read_get_a_clear_answer_in_the_parents_language(bot: BotHarness) -> None:
    """Too big (before and after download), corrupt, locked, not a file type the bot reads, not fetchable."""
    cases = [
        ("groot.pdf", b"%PDF", "application/pdf", 15 * 1024 * 1024, "كبير"),  # declared 15 MB: never fetched
        ("enorm.pdf", b"%PDF", "application/pdf", 30 * 1024 * 1024, "كبير"),  # over Telegram's 20 MB too
        ("kapot.pdf", b"%PDF-1.7 broken", "application/pdf", None, "فتح"),
        ("slot.pdf", (PDFS / "met-wachtwoord.pdf").read_bytes(), "application/pdf", None, "كلمة سر"),
        ("brief.docx", b"PK\x03\x04 docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         None, "النوع"),
    ]  # fmt: skip
    for user, (name, content, mime, size, expected) in enumerate(cases, start=50):
        replies = await _send_document(bot, user, name, content, mime, lang="ar", size=size)
        assert replies and expected in replies[-1].text and ARABIC.search(replies[-1].text), name
    assert len(bot.api.files.downloads) == 2  # only the broken and the locked PDF were fetched
    await bot.feed(bot.api.user_sends_photo(60, language_code="ar", enqueue=False))  # Telegram cannot serve it now
    assert "مرة أخرى" in bot.new_replies(60)[-1].text
    assert [r.method for r in bot.rejected()] == [
        "getFile"
    ]  # that one, refused by Telegram; the bot asked nothing wrong


@needs_tesseract
async def test_a_decompression_bomb_a_cat_and_stickers_get_an_answer_never_a_crash(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bomb = png(Image.new("1", (12_000, 12_000), 1))  # 144 megapixels in ~20 kB
    replies = await _send_document(bot, 61, "brief.png", bomb, "image/png", lang="ar")
    assert "كبير" in replies[-1].text
    jpeg = (LETTERS_DIR / "photos" / "01_opp_uitnodiging.jpg").read_bytes()
    replies = await _send_document(bot, 61, "kapot.jpg", jpeg[:300], "image/jpeg", lang="ar")
    assert "فتح" in replies[-1].text
    cat = Image.new("RGB", (960, 1280), (120, 160, 90))
    ImageDraw.Draw(cat).ellipse((250, 300, 710, 1000), fill=(200, 140, 60))
    await bot.feed(bot.api.user_sends_photo(62, content=png(cat), language_code="ar", enqueue=False))
    note = bot.new_replies(62)[-1]
    assert note.method == "editMessageText"  # the "reading..." note became the explanation
    assert "الهاتف" in note.text and "ضوء" in note.text  # hold the phone straight, in good light
    for raw in (
        bot.api.user_sends_sticker(63, language_code="ar", enqueue=False),
        bot.api.user_sends_voice(63, language_code="ar", enqueue=False),
        bot.api.user_sends_animation(63, language_code="ar", enqueue=False),
    ):
        await bot.feed(raw)
        assert "PDF" in bot.new_replies(63)[-1].text
    assert bot.rejected() == [] and not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_without_tesseract_the_bot_says_so_kindly_and_the_rest_works(tmp_path: Path) -> None:
    bot = build_harness(make_settings(tmp_path, tessdata=tmp_path / "no-tesseract-here"))
    await bot.start()
    try:
        photo = (LETTERS_DIR / "photos" / "01_opp_uitnodiging.jpg").read_bytes()
        await bot.feed(bot.api.user_sends_photo(70, content=photo, language_code="en", enqueue=False))
        (answer,) = bot.new_replies(70)
        assert "Reading photos doesn't work right now" in answer.text and "paste" in answer.text
        assert bot.api.files.downloads == []  # nothing fetched that could not be read
        pdf = await _send_document(bot, 70, "brief.pdf", (PDFS / "01_opp_uitnodiging.pdf").read_bytes(),
                                   "application/pdf", lang="en")  # fmt: skip
        assert "opp" in term_keys(pdf, "en")  # a PDF with a text layer needs no OCR
        question = await bot.send(70, "wat is een opp", lang="en")
        assert any(":opp:en" in data for reply in question for row in reply.buttons for _, data in row)
    finally:
        await bot.stop()


@needs_tesseract
async def test_a_teacher_photographing_a_draft_gets_the_teachers_view(bot: BotHarness) -> None:
    await bot.send(80, "/start leraar")
    letter = LETTERS["02_tlv_besluit"]
    await bot.feed(bot.api.user_sends_photo(80, content=(LETTERS_DIR / "photos" / "02_tlv_besluit.jpg").read_bytes(),
                                            enqueue=False))  # fmt: skip
    text = "\n".join(reply.text for reply in bot.new_replies(80))
    links = re.findall(r"start=term_([a-z0-9_]+)", text)
    assert links and set(links) <= set(letter.terms)


@needs_tesseract
async def test_a_photo_leaves_no_trace_in_the_database_files_the_logs_or_on_disk(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    caplog.set_level(logging.DEBUG)
    letter = LETTERS["01_opp_uitnodiging"]
    settings = make_settings(tmp_path)
    bot = build_harness(settings)
    await bot.start()
    try:
        photo = (LETTERS_DIR / "photos" / f"{letter.name}.jpg").read_bytes()
        await bot.feed(bot.api.user_sends_photo(90, content=photo, language_code="ar", enqueue=False))
        assert "opp" in term_keys(bot.new_replies(90), "ar")  # it was read
    finally:
        await bot.stop()  # flushes the anonymous counts
    # The letter's own words (names, street, town, phone, a phrase); none is a glossary word.
    words = ["Vlinderboom", "Kastanjelaan", "Amersfoort", "Samira", "Anouk", "Okafor", "033-4567890", "rekenen en taal"]
    assert all(word in letter.text for word in words)
    files = [p for p in tmp_path.iterdir() if p.name.startswith(settings.db_path.name)]
    stored = b"".join(p.read_bytes() for p in files).lower()
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records).lower()
    for word in sorted(words):
        assert word.lower().encode() not in stored, word
        assert word.lower() not in logged, word
    assert list(temp.iterdir()) == []  # no temporary file of the photo or its text
