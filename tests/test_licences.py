"""Locked installs: the two locks agree, and no locked dependency has a licence that forbids
distribution (the list and its reasons are in scripts/licences.py; `make notice` writes the table)."""

from __future__ import annotations

import re

import pytest

from scripts.licences import BEGIN, CORE_LOCK, DEV_LOCK, END, ROOT, locked, refusal, report


@pytest.mark.parametrize(
    ("licence", "core", "refused"),
    [
        pytest.param("MIT", True, False, id="mit-core-ok"),
        pytest.param("Apache Software License; MIT License", True, False, id="dual-ok"),
        pytest.param("LGPL-3.0-only", True, False, id="lgpl-core-ok"),
        pytest.param("Mozilla Public License 2.0 (MPL 2.0)", True, False, id="mpl-ok"),
        pytest.param("GNU Affero General Public License v3", False, True, id="agpl-refused"),
        pytest.param("AGPL-3.0-or-later", False, True, id="agpl-spdx-refused"),
        pytest.param("SSPL-1.0", False, True, id="sspl-refused"),
        pytest.param("Apache-2.0 with Commons Clause", False, True, id="commons-clause-refused"),
        pytest.param("BUSL-1.1", False, True, id="business-source-refused"),
        pytest.param("CC-BY-NC-4.0", False, True, id="non-commercial-refused"),
        pytest.param("Other/Proprietary License", False, True, id="proprietary-refused"),
        pytest.param("UNKNOWN", False, True, id="unknown-refused"),
        pytest.param("GPL-3.0-only", True, True, id="gpl-in-core-refused"),
        pytest.param("GNU General Public License v2 (GPLv2)", True, True, id="gpl-words-in-core-refused"),
        pytest.param("GPL-2.0-or-later", False, False, id="gpl-dev-tool-allowed"),
    ],
)
def test_licence_rule(licence: str, core: bool, refused: bool) -> None:
    assert (refusal(licence, core) is not None) == refused


def _pins(lock_text: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock_text, re.MULTILINE))


def test_locks_agree_and_are_hashed() -> None:
    core, dev = _pins(CORE_LOCK.read_text()), _pins(DEV_LOCK.read_text())
    assert {name: version for name, version in core.items() if dev.get(name) != version} == {}
    for lock in (CORE_LOCK, DEV_LOCK):
        assert lock.read_text().count("--hash=sha256:") >= len(_pins(lock.read_text()))


def test_installed_dependencies_may_be_distributed() -> None:
    packages = report()
    assert {re.sub(r"[-_.]+", "-", p.name).lower() for p in packages} >= locked(DEV_LOCK) - {"rxlens"}
    assert [(p.name, p.licence) for p in packages if refusal(p.licence, p.core)] == []


def test_notice_lists_every_locked_package() -> None:
    notice = (ROOT / "NOTICE.md").read_text(encoding="utf-8")
    section = notice[notice.index(BEGIN) : notice.index(END)]
    listed = {re.sub(r"[-_.]+", "-", name).lower() for name in re.findall(r"^\| (\S+) \|", section, re.M)}
    assert sorted(locked(DEV_LOCK) - listed) == [], "run `make notice` after `make lock`"
