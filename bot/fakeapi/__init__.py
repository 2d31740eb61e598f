"""A fake Telegram Bot API for tests, the terminal chat and benchmarks.

Import what you need from the submodules: ``core.FakeBotApi`` (state and
behaviour), ``inprocess.InProcessRequest`` (PTB transport without sockets),
``server.FakeBotApiServer`` (HTTP, needs aiohttp) and ``html_check`` (Telegram's
text rules, no dependencies). Nothing is imported here, so importing
``html_check`` never pulls in aiohttp or PTB.
"""
