"""The project's own documents: the licence, and the product contract kept in step with the
steering repository's copy."""

from __future__ import annotations

import tomllib

import pytest

from .conftest import ROOT

SHARED_SPEC = ROOT.parent / "shared" / "SPEC.md"


def test_the_contract_is_in_step_with_the_steering_copy() -> None:
    if not SHARED_SPEC.exists():
        pytest.skip("no steering repository beside this clone")
    ours = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8").splitlines()
    theirs = SHARED_SPEC.read_text(encoding="utf-8").splitlines()
    # ours has a two-line provenance comment and a blank line first, and names no folder
    # that a clone does not have
    assert len(ours) == len(theirs) + 3
    differing = [
        (a, b) for a, b in zip(ours[3:], theirs, strict=True) if a != b and "seeds" not in b
    ]
    assert differing == []


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
