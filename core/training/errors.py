"""The error a user's choice of settings or design raises: its message says which and why."""


class ConfigError(ValueError):
    """A setting a user chose is not allowed; the message says which and why."""
