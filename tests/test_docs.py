"""The project's own documents: the licence, and the product contract kept in step with the
steering repository's copy."""

from __future__ import annotations

import tomllib

import pytest

from .conftest import ROOT

SHARED_SPEC = ROOT.parent / "shared" / "SPEC.md"


def test_the_contract_is_in_step_with_the_steering_copy() -> None:
    """Ours extends the steering copy and never changes a line of it: every line of theirs
    is in ours, in the same order; what we add comes between or after them."""
    if not SHARED_SPEC.exists():
        pytest.skip("no steering repository beside this clone")
    ours = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8").splitlines()
    theirs = SHARED_SPEC.read_text(encoding="utf-8").splitlines()
    # ours has a two-line provenance comment and a blank line first
    remaining = iter(ours[3:])
    missing = [
        line
        for line in theirs
        # the line naming the seeds folder names one a clone does not have
        if "seeds" not in line and not any(line == candidate for candidate in remaining)
    ]
    assert missing == []
    assert ours[3] == theirs[0]


def test_licence_and_metadata_agree() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["license"] == "EUPL-1.2" and meta["license-files"] == ["LICENSE"]
    assert meta["name"] == "kommune-roadmap" and "roadmap" in meta["scripts"]
    assert (
        (ROOT / "LICENSE")
        .read_text(encoding="utf-8")
        .lstrip()
        .startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    )
