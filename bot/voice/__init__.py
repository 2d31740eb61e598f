"""Listening: explanations, letters and invitations read aloud as Telegram voice messages.

espeak-ng speaks (offline, on this server), opusenc encodes the OGG/Opus file Telegram
plays as a voice note. ``speech`` decides what is said in which voice, ``ssml`` writes it
for espeak-ng, ``synth`` runs the two programs off the event loop, ``cache`` keeps the
files of content that is the same for everyone, ``service`` ties them together and
``handlers`` is the Telegram side (the "🔊" button and ``sendVoice``).
"""
