"""Letters from school, read for a parent (or checked for a teacher): every school word, the dates, the contacts.

``scan`` finds the glossary's terms in a Dutch text (pure, no Telegram);
``facts`` pulls out dates, times, phone numbers and e-mail addresses;
``reader`` turns both into a ``LetterAnswer`` in the parent's language;
``screens`` shows it; ``handlers.answer_letter`` is the one entry point for
pasted, forwarded, captioned, photographed and PDF letters.
"""
