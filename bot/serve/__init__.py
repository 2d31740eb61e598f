"""``samenspraak serve``: the bot as a service (webhook workers, health, metrics, pages)."""
