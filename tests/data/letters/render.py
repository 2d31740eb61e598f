"""Render the test letters into phone-like photos and PDFs (run by hand; needs Pillow and fpdf2).

    .venv/bin/pip install fpdf2                              # only for the PDF with a text layer
    .venv/bin/python tests/data/letters/render.py            # every letter: a photo, and PDFs for a few
    .venv/bin/python tests/data/letters/render.py 14_vso_langste --size 2560

Each ``<name>.txt`` in this folder becomes ``photos/<name>.jpg``: the letter set on an A4 page in
one of a few fonts, turned a little, lying on a table, lit unevenly (a shadow across one side),
slightly out of focus, and saved as Telegram delivers a photo sent the usual way (long side
``--size`` = 1280 pixels, JPEG quality 60). The font size, the angle, how much table shows
around the page (so how small the text is), the ink, the shadow, the blur and the noise are
drawn per letter from ranges that include hard photos: a few are hard to read for a person too.

The first few letters also become two PDFs: one with a text layer (``pdf/<name>.pdf``, as a
school's word processor makes it) and one scan without text (``pdf/<name>-scan.pdf``, a page
image only). Every choice is seeded by the letter's name, so
running the script again gives the same files; commit what it writes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONTS = ("DejaVuSans.ttf", "LiberationSerif-Regular.ttf", "DejaVuSerif.ttf", "LiberationSans-Regular.ttf")
#: An A4 page at 200 dots per inch: the page is drawn sharp first, then photographed.
PAGE_SIZE = (1654, 2339)
DPI = 200
MARGIN = 180
#: How many letters (in name order) also get the two PDFs.
PDF_LETTERS = 4
#: The date written into every PDF, so that rendering again gives the same bytes.
FIXED = datetime(2026, 12, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Look:
    """How one photo was taken: which font, how crooked, where the shadow falls."""

    font: str
    points: float
    angle: float
    shadow_side: str
    darkness: float
    blur: float
    border: int
    ink: int
    noise: float


def look_for(name: str) -> Look:
    rng = random.Random(hashlib.sha256(name.encode()).digest())
    return Look(
        font=FONTS[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(FONTS)],
        points=rng.uniform(10.5, 12.0),
        angle=rng.choice((-1, 1)) * rng.uniform(0.6, 2.5),
        shadow_side=rng.choice(("left", "right", "top", "bottom")),
        darkness=rng.uniform(0.35, 0.65),
        blur=rng.uniform(0.5, 1.2),
        border=rng.randint(60, 220),
        ink=rng.randint(20, 70),
        noise=rng.uniform(0.04, 0.10),
    )


def find_font(file_name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / file_name).exists():
            return folder / file_name
    raise SystemExit(f"font {file_name} not found in {FONT_DIRS}: apt-get install fonts-dejavu-core fonts-liberation")


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The letter's lines as printed: paragraphs kept, long lines broken between words."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        line = words[0]
        for word in words[1:]:
            if font.getlength(f"{line} {word}") <= width:
                line = f"{line} {word}"
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def page_image(text: str, look: Look) -> list[Image.Image]:
    """The letter on white A4 pages (one or more), as the school printed it."""
    font = ImageFont.truetype(str(find_font(look.font)), round(look.points / 72 * DPI))
    line_height = round(font.size * 1.45)
    lines = wrap(text, font, PAGE_SIZE[0] - 2 * MARGIN)
    per_page = (PAGE_SIZE[1] - 2 * MARGIN) // line_height
    pages = []
    for start in range(0, max(len(lines), 1), per_page):
        page = Image.new("L", PAGE_SIZE, 255)
        draw = ImageDraw.Draw(page)
        for row, line in enumerate(lines[start : start + per_page]):
            draw.text((MARGIN, MARGIN + row * line_height), line, font=font, fill=look.ink)
        pages.append(page)
    return pages


def photograph(page: Image.Image, look: Look, long_side: int, seed: str) -> Image.Image:
    """The page as a phone sees it: on a table, a little turned, a shadow, soft focus, noise."""
    rng = random.Random(seed)
    table_colour = (rng.randint(90, 130), rng.randint(70, 100), rng.randint(50, 75))
    border = look.border
    canvas = Image.new("RGB", (page.width + 2 * border, page.height + 2 * border), table_colour)
    turned = page.convert("RGB").rotate(
        look.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=table_colour
    )
    canvas.paste(turned, ((canvas.width - turned.width) // 2, (canvas.height - turned.height) // 2))
    canvas = canvas.resize(
        (canvas.width, round(canvas.width * PAGE_SIZE[1] / PAGE_SIZE[0])), Image.Resampling.BICUBIC
    )  # back to A4 proportions: the phone frames the page
    canvas = tilt(canvas, rng.uniform(0.01, 0.03), table_colour)
    # Uneven light: a gradient from one side, darker by ``darkness`` at the edge.
    ramp = Image.linear_gradient("L").resize(canvas.size)
    ramp = {
        "top": ramp,
        "bottom": ramp.rotate(180),
        "left": ramp.rotate(90, expand=True).resize(canvas.size),
        "right": ramp.rotate(-90, expand=True).resize(canvas.size),
    }[look.shadow_side]
    light = ramp.point(lambda v: round(255 * (1 - look.darkness * (1 - v / 255) ** 2)))
    # The phone's (or the hand's) own soft shadow: a blurred dark blob somewhere on the page.
    blob = Image.new("L", canvas.size, 0)
    cx, cy = rng.uniform(0.2, 0.8) * canvas.width, rng.uniform(0.3, 0.9) * canvas.height
    rx, ry = canvas.width * rng.uniform(0.15, 0.3), canvas.height * rng.uniform(0.1, 0.2)
    ImageDraw.Draw(blob).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=round(255 * look.darkness * 0.6))
    blob = blob.filter(ImageFilter.GaussianBlur(canvas.width / 12))
    light = ImageChops.multiply(light, ImageChops.invert(blob))
    shaded = Image.composite(canvas, Image.new("RGB", canvas.size, 0), light)
    scaled = shaded.resize(
        (round(shaded.width * long_side / shaded.height), long_side), Image.Resampling.LANCZOS
    ).filter(ImageFilter.GaussianBlur(look.blur))
    noise = Image.effect_noise(scaled.size, 12).convert("RGB")
    return Image.blend(scaled, noise, look.noise)


def tilt(image: Image.Image, amount: float, fill: tuple[int, int, int]) -> Image.Image:
    """A phone held not quite flat: the far edge of the page looks a little narrower (keystone)."""
    w, h = image.size
    d = amount * w
    # Map the output rectangle onto a source quadrilateral whose top edge is wider.
    source = [(-d, 0), (w + d, 0), (w, h), (0, h)]
    coefficients = _perspective(source, [(0, 0), (w, 0), (w, h), (0, h)])
    return image.transform(
        image.size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC, fillcolor=fill
    )


def _perspective(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[float]:
    """The 8 coefficients Pillow's PERSPECTIVE transform takes (target pixel -> source pixel)."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return _solve(rows, rhs)


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination for the 8x8 system above (no numpy needed for one small system)."""
    n = len(rhs)
    a = [[*row[:], value] for row, value in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[r][n] / a[r][r] for r in range(n)]


def render(name: str, long_side: int, with_pdf: bool) -> list[Path]:
    text = (HERE / f"{name}.txt").read_text(encoding="utf-8")
    look = look_for(name)
    pages = page_image(text, look)
    written = []
    photo_path = HERE / "photos" / f"{name}.jpg"
    photo_path.parent.mkdir(exist_ok=True)
    photograph(pages[0], look, long_side, name).save(photo_path, "JPEG", quality=60, optimize=True)
    written.append(photo_path)
    if with_pdf:
        written += write_pdfs(name, text, look, pages)
    return written


def write_pdfs(name: str, text: str, look: Look, pages: list[Image.Image]) -> list[Path]:
    folder = HERE / "pdf"
    folder.mkdir(exist_ok=True)
    scan = folder / f"{name}-scan.pdf"
    scanned = [photograph(page, look, 1754, f"{name}-scan{n}").convert("L") for n, page in enumerate(pages)]
    scanned[0].save(
        scan,
        "PDF",
        resolution=150,
        save_all=True,
        append_images=scanned[1:],
        creationDate=FIXED.timetuple(),
        modDate=FIXED.timetuple(),
    )
    typed = folder / f"{name}.pdf"
    write_text_pdf(typed, text, look)
    return [scan, typed]


def write_text_pdf(path: Path, text: str, look: Look) -> None:
    """A PDF with a text layer, as a word processor writes it (the font embedded)."""
    try:
        from fpdf import FPDF
    except ImportError:
        raise SystemExit("the PDF with a text layer needs fpdf2: .venv/bin/pip install fpdf2") from None
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2026, 12, 1, tzinfo=UTC))  # the same bytes on every run
    pdf.add_font("letter", fname=str(find_font(look.font)))
    _add_letter_page(pdf, text, look)
    pdf.output(str(path))


def _add_letter_page(pdf: Any, text: str, look: Look) -> None:
    pdf.set_margins(22, 22)
    pdf.set_font("letter", size=look.points)
    pdf.add_page()
    for paragraph in text.splitlines():
        pdf.multi_cell(0, look.points * 0.55, paragraph or " ", new_x="LMARGIN", new_y="NEXT")


def write_special_pdfs(names: list[str]) -> list[Path]:
    """Two PDFs for the limits: seven letters in one file (more pages than the bot reads) and a
    letter locked with a password (the bot cannot open it and says so)."""
    from fpdf import FPDF

    look = look_for(names[0])
    long_pdf = FPDF(format="A4")
    long_pdf.set_creation_date(datetime(2026, 12, 1, tzinfo=UTC))
    long_pdf.add_font("letter", fname=str(find_font(look.font)))
    for name in names[:7]:
        _add_letter_page(long_pdf, (HERE / f"{name}.txt").read_text(encoding="utf-8"), look)
    long_path = HERE / "pdf" / "zeven-brieven.pdf"
    long_pdf.output(str(long_path))
    locked = FPDF(format="A4")
    locked.set_creation_date(datetime(2026, 12, 1, tzinfo=UTC))
    locked.set_encryption(owner_password="school", user_password="geheim")
    locked.add_font("letter", fname=str(find_font(look.font)))
    _add_letter_page(locked, (HERE / f"{names[0]}.txt").read_text(encoding="utf-8"), look)
    locked_path = HERE / "pdf" / "met-wachtwoord.pdf"
    locked.output(str(locked_path))
    return [long_path, locked_path]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="letters to render (default: every .txt here)")
    parser.add_argument("--size", type=int, default=1280, help="the photo's long side in pixels")
    args = parser.parse_args(argv)
    names = args.names or sorted(p.stem for p in HERE.glob("*.txt"))
    if not names:
        sys.exit(f"no letters (*.txt) in {HERE}")
    written = []
    for index, name in enumerate(names):
        written += render(name, args.size, with_pdf=index < PDF_LETTERS)
    if not args.names:
        written += write_special_pdfs(names)
    for path in written:
        print(f"{path.relative_to(HERE)}  {path.stat().st_size // 1024} kB")


if __name__ == "__main__":
    main()
