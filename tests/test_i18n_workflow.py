"""`samenspraak i18n update` must not hand a translator another term's translation as a guess."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from bot.i18n.workflow import _guess_from_same_context

OLD_SUPPORT = "Extra ondersteuning is hulp die de school niet zelf kan geven aan uw kind in de klas."
NEW_TERM = "Ambulante begeleiding is hulp die de school niet zelf kan geven aan uw kind in de klas."
EDITED_SUPPORT = "Extra ondersteuning is hulp die de school niet zelf kan geven aan uw kind in de groep."


def _update(old: Catalog, template: Catalog) -> Catalog:
    """What ``samenspraak i18n update`` does to a glossary catalog."""
    previous = {m.context: m for m in old if m.context and m.string}
    old.update(template, no_fuzzy_matching=True, update_header_comment=False)
    _guess_from_same_context(old, previous)
    return old


def test_a_new_term_starts_empty_instead_of_with_another_terms_explanation() -> None:
    old = Catalog(locale="de")
    old.add(OLD_SUPPORT, "Zusätzliche Unterstützung ist Hilfe …", context="extra_ondersteuning|short")
    template = Catalog()
    template.add(OLD_SUPPORT, context="extra_ondersteuning|short")
    template.add(NEW_TERM, context="ambulante_begeleiding|short")

    updated = _update(old, template)

    new = updated.get(NEW_TERM, context="ambulante_begeleiding|short")
    assert new is not None
    assert not new.string and not new.fuzzy, "a guess from another term would read as a finished translation"
    assert updated.get(OLD_SUPPORT, context="extra_ondersteuning|short").string.startswith("Zusätzliche")


def test_an_edited_sentence_of_the_same_term_keeps_its_fuzzy_guess_for_the_translator() -> None:
    old = Catalog(locale="de")
    old.add(OLD_SUPPORT, "Zusätzliche Unterstützung ist Hilfe …", context="extra_ondersteuning|short")
    template = Catalog()
    template.add(EDITED_SUPPORT, context="extra_ondersteuning|short")

    updated = _update(old, template)

    edited = updated.get(EDITED_SUPPORT, context="extra_ondersteuning|short")
    assert edited.fuzzy and edited.string.startswith("Zusätzliche")


def test_a_changed_glossary_field_starts_from_its_own_old_translation_and_a_new_term_starts_empty() -> None:
    old = Catalog(locale="de")
    old.add(OLD_SUPPORT, "Zusätzliche Unterstützung ist Hilfe …", context="extra_ondersteuning|short")
    previous = {m.context: m for m in old if m.context and m.string}
    template = Catalog()
    template.add(EDITED_SUPPORT, context="extra_ondersteuning|short")
    template.add(NEW_TERM, context="ambulante_begeleiding|short")

    old.update(template, no_fuzzy_matching=True, update_header_comment=False)
    _guess_from_same_context(old, previous)

    edited = old.get(EDITED_SUPPORT, context="extra_ondersteuning|short")
    assert edited.fuzzy and edited.string.startswith("Zusätzliche") and edited.previous_id == [OLD_SUPPORT]
    new = old.get(NEW_TERM, context="ambulante_begeleiding|short")
    assert not new.string and not new.fuzzy


def test_one_languages_guess_never_lands_in_another_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Babel's update shares the template's Message objects between catalogs; the update must not."""
    from babel.messages.pofile import read_po, write_po

    from bot.i18n.workflow import DOMAINS, update_catalogs

    locales = tmp_path / "locales"
    template = Catalog()
    template.add(OLD_SUPPORT, context="extra_ondersteuning|short")
    locales.mkdir()
    with (locales / "glossary.pot").open("wb") as out:
        write_po(out, template)
    languages = [language for language in DOMAINS["glossary"] if language != "nl"][:3]
    for language in languages:
        catalog = Catalog(locale=language)
        catalog.add(OLD_SUPPORT, f"old {language}", context="extra_ondersteuning|short")
        (locales / language / "LC_MESSAGES").mkdir(parents=True)
        with (locales / language / "LC_MESSAGES" / "glossary.po").open("wb") as out:
            write_po(out, catalog)
    template = Catalog()
    template.add(EDITED_SUPPORT, context="extra_ondersteuning|short")
    with (locales / "glossary.pot").open("wb") as out:
        write_po(out, template)

    update_catalogs(tmp_path, ("glossary",))

    for language in languages:
        with (locales / language / "LC_MESSAGES" / "glossary.po").open("rb") as handle:
            message = read_po(handle).get(EDITED_SUPPORT, context="extra_ondersteuning|short")
        assert message.string == f"old {language}" and message.fuzzy
