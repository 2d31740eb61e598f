"""Light web pages for parents without Telegram: the invitation (``/u/<token>``) and the glossary (``/w/``).

Server-rendered HTML (Jinja2), one small inline stylesheet, no JavaScript and
no third-party assets, so a cheap phone on a weak connection opens a page at
once. The pages reuse the bot's own code: the invitation store and texts
(bot/invitations), the glossary's search and texts (bot/glossary) and the
letter reader (bot/letters). ``create_app`` returns a Starlette app that can
run alone (``samenspraak web``) or be mounted in another ASGI app.
"""
