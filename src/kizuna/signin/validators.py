"""A password nobody should be able to guess: zxcvbn estimates how many guesses an attacker
with breached-password lists, dictionaries, names and keyboard patterns would need, l33t and
padded variants included, all from lists shipped inside the package (nothing is fetched)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# zxcvbn's score 3: about 10^8 guesses or more ("safely unguessable" against online attacks
# and moderately so offline); 4 would refuse many good passphrases of common words.
MIN_SCORE = 3


class GuessablePasswordValidator:
    def __init__(self, min_score: int = MIN_SCORE) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        # zxcvbn's cost grows with length; past 100 characters nothing is guessable anyway.
        hints = [
            str(getattr(user, name, "") or "")
            for name in ("username", "display_name_ja", "display_name_en", "email")
        ]
        if zxcvbn(password[:100], user_inputs=[h for h in hints if h])["score"] < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it is or resembles a password known "
                    "from breaches, or is built from common words, names, dates or keyboard "
                    "patterns. Choose a longer phrase of unrelated words."
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be easy to guess from breaches, words or patterns.")
