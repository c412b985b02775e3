"""Adapters: the only code that talks to AWS. Each turns AWS errors into shared.errors."""


def reset() -> None:
    """Forget every cached client and adapter (tests switch between moto and moto server)."""
    from shared.adapters import aws, secrets, table
    from shared.settings import get_settings

    aws.reset_clients()
    secrets.secret_string.cache_clear()
    table.default_table.cache_clear()
    get_settings.cache_clear()
    try:
        from shared.store import idempotency
    except ImportError:  # pragma: no cover - during partial checkouts
        return
    idempotency.reset()
