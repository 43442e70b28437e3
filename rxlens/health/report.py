"""What a check says, how checks are run without hanging, and what the run exits with."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum

from rxlens.errors import ConfigError, RxlensError


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"  # works, but something is worth doing (never changes the exit code)
    FAIL = "fail"  # a required part does not work: doctor exits non-zero
    SKIPPED = "skipped"  # not used by this configuration


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str
    remedy: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


# A broken installation is a configuration problem: the same code (EX_CONFIG) as ConfigError.
FAILED_EXIT_CODE = ConfigError.exit_code


def exit_code(checks: Iterable[Check]) -> int:
    return FAILED_EXIT_CODE if any(c.status is Status.FAIL for c in checks) else 0


def run(name: str, check: Callable[[], Check], timeout: float) -> Check:
    """Run `check` in a daemon thread: one that hangs (a driver ignoring its own timeout) is
    reported as failed after `timeout` seconds and cannot keep the process from exiting."""
    outcome: list[Check] = []

    def target() -> None:
        try:
            outcome.append(check())
        except RxlensError as error:
            outcome.append(Check(name, Status.FAIL, error.message, error.hint))
        except Exception as exc:  # a check must report, never crash the report
            outcome.append(Check(name, Status.FAIL, f"Unexpected {type(exc).__name__}: {exc}", BUG))

    thread = threading.Thread(target=target, name=f"doctor-{name}", daemon=True)
    thread.start()
    thread.join(timeout)
    if outcome:
        return outcome[0]
    return Check(name, Status.FAIL, f"No answer within {timeout:g} s.", "See the detail of the check; " + BUG)


BUG = "If the cause is not clear, report it with the output of `rxlens doctor --json`."
