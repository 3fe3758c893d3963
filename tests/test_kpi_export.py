from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from roadmap.kpi import assess
from roadmap.model import Kpi

from .conftest import ROOT, Cli

DATA = str(ROOT / "data")


def kpi(
    *measurements: tuple[str, float],
    target: float = 100,
    direction: str = "increase",
    baseline: float = 0,
) -> Kpi:
    return Kpi.model_validate(
        {
            "id": "k1",
            "title": "K",
            "unit": "%",
            "direction": direction,
            "baseline": {"value": baseline, "date": "2024-01-01"},
            "target": {"value": target, "date": "2026-01-01"},
            "measurements": [{"date": d, "value": v} for d, v in measurements],
        }
    )


def test_linear_trend_and_forecast() -> None:
    # 0 on 2024-01-01, 50 on 2025-01-01: a straight line reaching 100 on 2026-01-01
    state = assess("goal:x", kpi(("2025-01-01", 50)))
    assert state.progress == pytest.approx(50)
    assert state.forecast == pytest.approx(50 * 731 / 366)  # the line at day 731
    assert state.trend_per_year == pytest.approx(50 * 365.25 / 366)
    assert state.status == "at_risk"  # 99.86 just misses 100 (2024 has 366 days)


@pytest.mark.parametrize(
    ("measurements", "status"),
    [
        ((), "no_data"),
        ((("2025-01-01", 42.0),), "at_risk"),  # forecast ≈ 84 % of the change
        ((("2025-01-01", 20.0),), "off_track"),
        ((("2025-01-01", -5.0),), "off_track"),  # moving away from the target
        ((("2024-06-01", 100.0),), "on_track"),  # met already
    ],
)
def test_status_rule(measurements: tuple[tuple[str, float], ...], status: str) -> None:
    assert assess("goal:x", kpi(*measurements)).status == status


def test_decreasing_kpi() -> None:
    state = assess("goal:x", kpi(("2025-01-01", 60), target=20, direction="decrease", baseline=100))
    assert state.progress == pytest.approx(50)
    assert state.forecast == pytest.approx(100 - 40 * 731 / 366)  # 20.1: just misses 20
    assert state.status == "at_risk"


def test_kpi_command_json(cli: Cli) -> None:
    result = cli("kpi", "-d", DATA, "-f", "json")
    assert result.exit_code == 0, result.output
    items = {(k["owner"], k["id"]): k for k in json.loads(result.stdout)["kpis"]}
    ozg = items[("goal:ozg", "online-leistungen")]
    assert (ozg["latest"], ozg["status"]) == ({"value": 262.0, "date": "2026-09-30"}, "at_risk")
    assert items[("project:buergerportal", "dienste-e2e")]["status"] == "no_data"


def test_ics_export_parses_as_a_calendar(cli: Cli, tmp_path: Path) -> None:
    from icalendar import Calendar

    out = tmp_path / "roadmap.ics"
    result = cli("export", "-f", "ics", "-d", DATA, "--today", "2026-11-21", "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(raw)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    from roadmap.load import load_portfolio

    portfolio = load_portfolio(ROOT / "data").portfolio
    assert portfolio is not None
    expected = sum(
        len(p.milestones) + (1 if p.deadline else 0) for p in portfolio.projects.values()
    )
    assert len(events) == expected
    welle2 = next(e for e in events if str(e["UID"]) == "e-akte.welle2@roadmap")
    assert welle2.decoded("DTSTART") == dt.date(2026, 6, 30)
    assert str(welle2["SUMMARY"]) == "Einführung der E-Akte: Welle 2: Bürgerdienste"


def test_csv_export_for_german_excel(cli: Cli) -> None:
    """The example's strategy is German: German headers, German reasons."""
    result = cli("export", "-f", "csv", "--excel", "-d", DATA, "--today", "2026-11-21")
    text = result.stdout
    assert text.startswith("\ufeffID;Titel;Handlungsfeld;Amt;")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    first = rows[0]
    assert (first["ID"], first["Rang"], first["Punkte"]) == ("e-wohnsitzanmeldung", "1", "88,64")
    # status and decision as the xlsx export words them (roadmap import reads both)
    assert (first["Status"], first["Entscheidung"]) == ("beschlossen", "muss")
    wlan = next(r for r in rows if r["ID"] == "freies-wlan-plaetze")
    assert wlan["Grund (nicht eingeplant)"].startswith("Budget 2027, 2028 und 2029 reicht nicht")


def test_csv_export_in_english(cli: Cli) -> None:
    args = ("export", "-f", "csv", "-d", DATA, "--today", "2026-11-21", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(cli(*args).stdout)))
    wlan = next(r for r in rows if r["id"] == "freies-wlan-plaetze")
    assert wlan["not_planned_because"].startswith("budget exhausted in 2027, 2028 and 2029")
    assert (rows[0]["status"], rows[0]["decision"]) == ("approved", "must")


def test_json_export_has_the_whole_roadmap(cli: Cli) -> None:
    document = json.loads(cli("export", "-f", "json", "-d", DATA, "--today", "2026-11-21").stdout)
    assert document["organization"] == "Landeshauptstadt Düsseldorf"
    assert document["ranking"]["projects"][0]["id"] == "e-wohnsitzanmeldung"
    assert document["plan"]["end"] == "2032-12-31"  # the public wifi, after the period
    assert document["bundles"]["bundles"] and document["kpis"]


def test_taskjuggler_export_has_what_the_plan_schedules(cli: Cli, tmp_path: Path) -> None:
    import json
    import re
    import shutil
    import subprocess

    out = tmp_path / "roadmap.tjp"
    result = cli(
        "export",
        "-d",
        str(ROOT / "data"),
        "--format",
        "tjp",
        "--today",
        "2026-11-21",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    planned = json.loads(
        cli("plan", "-d", str(ROOT / "data"), "--format", "json", "--today", "2026-11-21").stdout
    )
    tasks = set(re.findall(r"^task (p_\w+) ", text, re.M))

    def tj(pid: str) -> str:
        return "p_" + re.sub(r"\W", "_", pid)

    # everything the plan places, and what it considered but could not fit ...
    assert {tj(p["id"]) for p in planned["projects"]} | {tj("freies-wlan-plaetze")} == tasks
    # ... but not what is ruled out (a gate, a decision)
    ruled_out = [u["id"] for u in planned["unscheduled"] if u["id"] != "freies-wlan-plaetze"]
    assert len(ruled_out) == 2 and not {tj(i) for i in ruled_out} & tasks
    priorities = [int(p) for p in re.findall(r"^  priority (\d+)$", text, re.M)]
    assert priorities == sorted(priorities, reverse=True) and priorities[0] == 1000
    assert "  depends p_e_akte\n" in text  # the Bürgerportal waits for the E-Akte
    assert text.count("resource q") == 12 * 4  # 12 FTE at most, in quarters
    if shutil.which("tj3"):  # TaskJuggler itself accepts and schedules it
        done = subprocess.run(
            ["tj3", "--silent", "--no-color", out.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        assert len((tmp_path / "plan.csv").read_text().splitlines()) == len(tasks) + 1
