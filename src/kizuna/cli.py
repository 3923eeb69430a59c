"""The `kizuna` command: every management command, e.g. `kizuna migrate`, `kizuna demo`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kizuna", *sys.argv[1:]])


if __name__ == "__main__":
    main()
