"""Reading photo files for the CLI: regular files only, and never more than the byte limit.

A FIFO with no writer blocks `open()` for reading forever, and `/dev/zero` or `/dev/urandom` never
end, so the kind of file is checked with stat before anything opens it, and reading stops one
byte past the limit (enough for intake to say "too large").
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from rxlens.config import IntakeSettings
from rxlens.errors import UnsupportedImage
from rxlens.images.intake import Upload, check_size

_KINDS = {
    stat.S_ISDIR: "a directory",
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def _refuse_unless_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")
    raise UnsupportedImage(f"{path} is {kind}, not a photo file.")


def read_photo(path: Path, settings: IntakeSettings) -> Upload:
    _refuse_unless_regular(path, os.stat(path).st_mode)
    # O_NONBLOCK: should the path be swapped for a FIFO after the stat, opening it still returns.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(file.fileno())
        _refuse_unless_regular(path, status.st_mode)
        check_size(path.name, status.st_size, settings)
        return Upload(path.name, file.read(settings.max_bytes + 1))
