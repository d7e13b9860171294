"""The one error of the font stack: a font the report needs is missing or unusable."""

from __future__ import annotations


class FontsMissing(Exception):
    """No usable font for a role; the message says what to install or configure."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
