"""Wheel build hook: ship the content and the compiled catalogs inside the package.

An installed bot must work outside the checkout, so the wheel carries
``dialogues/``, ``glossary/`` and ``locales/`` (with ``.mo`` files compiled
here by Babel) under ``bot/_content/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        if version == "editable":
            return  # an editable install reads content and compiles catalogs from the checkout
        root = Path(self.root)
        force_include = build_data.setdefault("force_include", {})
        for po in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle)
            with po.with_suffix(".mo").open("wb") as out:
                write_mo(out, catalog, use_fuzzy=False)
        for folder in ("dialogues", "glossary", "locales"):
            if (root / folder).is_dir():
                force_include[str(root / folder)] = f"bot/_content/{folder}"
