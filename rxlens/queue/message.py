"""What a job message carries, sealed as one token: the photos, the engine asked for and the
client (a label for the A/B split). Nothing of it is readable in RabbitMQ, not even file names.

Framing: one JSON header line (names and sizes), then the photos' bytes back to back, so the
sealed token is ~1.34 × the photos (Fernet's base64), not ~1.8 × as base64 inside JSON would be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rxlens.images.intake import Upload
from rxlens.queue.sealing import Sealer


@dataclass(frozen=True)
class JobMessage:
    uploads: list[Upload]
    engine: str | None
    owner: str

    def seal(self, sealer: Sealer) -> str:
        header = {
            "engine": self.engine,
            "owner": self.owner,
            "photos": [[u.name, len(u.data)] for u in self.uploads],
        }
        return sealer.seal(json.dumps(header).encode() + b"\n" + b"".join(u.data for u in self.uploads))

    @classmethod
    def unseal(cls, sealer: Sealer, token: str) -> JobMessage:
        """Raises ValueError for a message not sealed with our secret or not in this framing."""
        head, _, body = sealer.open(token).partition(b"\n")
        try:
            header = json.loads(head)
            uploads, at = [], 0
            for name, size in header["photos"]:
                uploads.append(Upload(str(name), body[at : at + int(size)]))
                at += int(size)
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a job message ({type(error).__name__})") from None
        if at != len(body):
            raise ValueError("photo sizes do not add up")
        return cls(uploads, header.get("engine"), str(header.get("owner", "")))


def sealed_size(uploads: list[Upload]) -> int:
    """About how many bytes the sealed message takes (Fernet: base64 of the bytes + 57)."""
    raw = sum(len(u.data) + len(u.name) + 32 for u in uploads) + 64
    return (raw + 16) * 4 // 3 + 100
