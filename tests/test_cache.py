"""The validation cache holds data only, verifies every entry, and never gives an answer
that a fresh run would not give."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import stat
import time
from pathlib import Path

import pytest

from roadmap.cache import Cache, decode_value, encode_value, prune
from roadmap.checks import validate
from roadmap.errors import Problem, Severity

from .conftest import MINIMAL

MARKER_ENV = "ROADMAP_TEST_PWNED"


class _Planted:
    """What an attacker would pickle: unpickling it creates a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _portfolio(tmp_path: Path) -> Path:
    """The minimal portfolio plus two projects, one of which needs the other."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "projects" / "basis.yaml").write_text(
        "id: basis\ntitle: Basis\nowner: X\nscores: {nutzen: 2}\n", encoding="utf-8"
    )
    (data / "projects" / "aufbau.yaml").write_text(
        "id: aufbau\ntitle: Aufbau\nowner: X\nscores: {nutzen: 3}\ndepends_on: [basis]\n",
        encoding="utf-8",
    )
    return data


def _codes(data: Path, cache: Path | None) -> list[tuple[str, int, int, str]]:
    _, problems = validate(data, cache)
    return [(Path(p.file).name, p.line, p.column, p.code) for p in problems]


def _with_error(tmp_path: Path) -> Path:
    data = _portfolio(tmp_path)
    (data / "projects" / "aufbau.yaml").write_text(
        "id: aufbau\ntitle: Aufbau\nowner: X\nscores: {nutzen: 3}\ndepends_on: [basis, fehlt]\n",
        encoding="utf-8",
    )
    return data


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def test_entries_are_json_with_a_verified_header(tmp_path: Path) -> None:
    data, cache = _with_error(tmp_path), tmp_path / "cache"
    validate(data, cache)
    entries = _entries(cache)
    assert {p.name.split(".")[1] for p in entries} == {"files", "findings"}
    for entry in entries:
        head, _, body = entry.read_bytes().partition(b"\n")
        header = json.loads(head)
        assert header["format"].startswith("roadmap-cache/") and len(header["digest"]) == 64
        if header["kind"] == "files":  # one line per file: "key"<TAB>entry
            for line in body.decode().splitlines():
                key, value = line.split("\t")
                assert json.loads(key).endswith(".yaml") and "problems" in json.loads(value)
        else:
            json.loads(body)
        assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0
    for folder in (cache, *{p.parent for p in entries}):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize("damage", ["malicious-pickle", "truncated", "empty", "forged-header"])
def test_damaged_entries_run_no_code_and_change_no_verdict(tmp_path: Path, damage: str) -> None:
    data, cache = _with_error(tmp_path), tmp_path / "cache"
    fresh = _codes(data, None)
    assert ("aufbau.yaml", 5, 21, "unknown-dependency") in fresh
    _codes(data, cache)
    marker = tmp_path / "pwned"
    for entry in _entries(cache):
        raw = entry.read_bytes()
        if damage == "malicious-pickle":
            entry.write_bytes(pickle.dumps(_Planted(marker)))
        elif damage == "truncated":
            entry.write_bytes(raw[: len(raw) // 2])
        elif damage == "empty":
            entry.write_bytes(b"")
        else:  # a well-formed header for a body that was changed afterwards
            head, _, body = raw.partition(b"\n")
            entry.write_bytes(head + b"\n" + body.replace(b"unknown-dependency", b"ok"))
    assert _codes(data, cache) == fresh
    assert not marker.exists()
    # the damaged entries were rewritten: the next run reads them again
    assert _codes(data, cache) == fresh
    for entry in _entries(cache):
        assert entry.read_bytes()[:1] == b"{"


def test_entry_others_may_write_is_never_trusted(tmp_path: Path) -> None:
    """A findings entry that says "no problems", with a correct digest, in a file
    anybody could have written: ignored."""
    data, cache = _with_error(tmp_path), tmp_path / "cache"
    fresh = _codes(data, None)
    _codes(data, cache)
    (findings,) = [p for p in _entries(cache) if ".findings." in p.name]
    head, _, _ = findings.read_bytes().partition(b"\n")
    header = json.loads(head)
    import hashlib

    body = b"[]"
    header["digest"] = hashlib.blake2b(body, digest_size=32).hexdigest()
    findings.write_bytes(json.dumps(header, sort_keys=True).encode() + b"\n" + body)
    findings.chmod(0o666)
    assert _codes(data, cache) == fresh


def test_five_hundred_byte_flips_never_change_a_verdict(tmp_path: Path) -> None:
    data, cache = _with_error(tmp_path), tmp_path / "cache"
    fresh = _codes(data, None)
    _codes(data, cache)
    originals = {p: p.read_bytes() for p in _entries(cache)}
    rng = random.Random(20261130)
    for _ in range(500):
        entry, raw = rng.choice(sorted(originals.items()))
        flipped = bytearray(raw)
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        entry.write_bytes(bytes(flipped))
        assert _codes(data, cache) == fresh
        for path, content in originals.items():  # back to the good entries
            path.write_bytes(content)


def test_cache_folder_of_another_kind_is_ignored(tmp_path: Path) -> None:
    data = _with_error(tmp_path)
    cache = tmp_path / "cache"
    cache.write_text("not a folder", encoding="utf-8")
    assert _codes(data, cache) == _codes(data, None)


def test_group_writable_cache_folder_is_not_used(tmp_path: Path) -> None:
    data, cache = _portfolio(tmp_path), tmp_path / "cache"
    validate(data, cache)
    (version,) = [p for p in cache.iterdir() if p.is_dir()]
    version.chmod(0o777)
    loaded = Cache(cache, data)
    assert loaded.entries == {}


def _stale_case(data: Path, how: str) -> None:
    """Make basis.yaml unusable in one of the ways a user might."""
    basis = data / "projects" / "basis.yaml"
    if how == "link-outside":
        outside = data.parent / "basis.yaml"
        basis.rename(outside)
        basis.symlink_to(outside)
    elif how == "dangling-link":
        basis.unlink()
        basis.symlink_to(data / "nowhere.yaml")
    elif how == "folder":
        basis.unlink()
        basis.mkdir()
    elif how == "fifo":
        basis.unlink()
        os.mkfifo(basis)
    elif how == "unreadable":
        basis.chmod(0)


STALE = ["link-outside", "dangling-link", "folder", "fifo", "unreadable"]


@pytest.mark.parametrize("how", STALE)
def test_removing_a_bad_file_never_reuses_old_findings(tmp_path: Path, how: str) -> None:
    """Issue 20.3: after the user "fixes" a bad file by removing it, the projects that
    need it must be reported, cache or not."""
    if how == "unreadable" and hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root reads files of mode 000")
    data, cache = _portfolio(tmp_path), tmp_path / "cache"
    _stale_case(data, how)
    bad = _codes(data, cache)
    assert any(name == "basis.yaml" for name, *_ in bad), bad
    assert bad == _codes(data, None)
    basis = data / "projects" / "basis.yaml"
    if basis.is_dir() and not basis.is_symlink():
        basis.rmdir()
    else:
        basis.unlink()
    removed = _codes(data, cache)
    assert ("aufbau.yaml", 5, 14, "unknown-dependency") in removed
    assert removed == _codes(data, None)


def test_a_linked_data_path_shows_its_own_file_names(tmp_path: Path) -> None:
    data, cache = _with_error(tmp_path), tmp_path / "cache"
    link = tmp_path / "datalink"
    link.symlink_to(data)
    _, via_data = validate(data, cache)
    _, via_link = validate(link, cache)
    assert all("datalink" not in p.file for p in via_data)
    assert via_link and all("datalink" in p.file for p in via_link)
    _, again = validate(data, cache)
    assert again == via_data


def test_prune_removes_old_entries_and_left_over_temp_files(tmp_path: Path) -> None:
    data, cache = _portfolio(tmp_path), tmp_path / "cache"
    validate(data, cache)
    (version,) = [p for p in cache.iterdir() if p.is_dir()]
    old = version / "0123456789abcdef.files.json"
    old.write_text("{}\n{}", encoding="utf-8")
    temp = version / ".abc.tmp"
    temp.write_text("half", encoding="utf-8")
    other = cache / "v0.0.1-deadbeef"
    other.mkdir()
    (other / "feed.files.json").write_text("{}\n{}", encoding="utf-8")
    pickled = cache / "v0.1.0-0123abcd"
    pickled.mkdir()
    (pickled / "feed.pickle").write_bytes(b"old")
    (pickled / "feed.findings").write_bytes(b"old")
    month_ago = time.time() - 31 * 24 * 3600
    for path in (old, temp, other / "feed.files.json"):
        os.utime(path, (month_ago, month_ago))
    assert prune(cache) == 5
    assert not old.exists() and not temp.exists() and not other.exists()
    assert not pickled.exists()
    assert [p.name for p in version.iterdir() if p.name.endswith(".files.json")]


def test_derived_values_round_trip_as_data() -> None:
    from roadmap.bundle import Bundle, Pair, Signal

    problems = [Problem("a.yaml", 1, 2, Severity.WARNING, "x", "y")]
    bundles = [Bundle(["a", "b"], 0.5, ["r"], [Pair("a", "b", 0.5, [Signal("s", 1.0, "r")])])]
    for value in (problems, bundles, {"k": (1, "t")}):
        encoded = encode_value(value)
        assert decode_value(json.loads(json.dumps(encoded))) == value


@pytest.mark.parametrize(
    "planted",
    [
        {"$data": "os:system", "f": ["touch /tmp/x"]},
        {"$data": "roadmap.cli:app", "f": []},
        {"$data": "subprocess:Popen", "f": [["true"]]},
        {"$enum": "roadmap.errors:Severity", "v": "fatal"},
        {"$data": "roadmap.errors:Problem", "f": ["a.yaml"]},
    ],
)
def test_decoding_builds_only_our_records(planted: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        decode_value(planted)


def test_an_entry_forged_with_a_correct_plain_digest_is_not_trusted(tmp_path: Path) -> None:
    """Issue 20.1: replacing the findings with "no problems" and a matching digest (what
    a restored CI cache from another branch could hold) must not make broken data pass.
    The digest is keyed with the user's own key, kept outside the cache folder."""
    import hashlib

    data, cache = _with_error(tmp_path), tmp_path / "cache"
    honest = _codes(data, None)
    assert any(code == "unknown-dependency" for *_, code in honest)
    validate(data, cache)
    (findings,) = [p for p in _entries(cache) if p.name.split(".")[1] == "findings"]
    head, _, _ = findings.read_bytes().partition(b"\n")
    header = json.loads(head)
    body = b"[]"
    header["digest"] = hashlib.blake2b(body, digest_size=32).hexdigest()
    findings.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert _codes(data, cache) == honest


def test_the_cache_key_is_the_users_alone() -> None:
    from roadmap.cache import cache_key, key_file

    secret = cache_key()
    assert secret is not None and len(secret) == 32
    assert stat.S_IMODE(key_file().stat().st_mode) == 0o600
    assert not key_file().is_relative_to(Path(os.environ["ROADMAP_CACHE_DIR"]))


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"HOME": "/home/a"}, "/home/a/.cache/roadmap"),
        ("linux", {"HOME": "/home/a", "XDG_CACHE_HOME": "/var/c"}, "/var/c/roadmap"),
        ("darwin", {"HOME": "/Users/a"}, "/Users/a/Library/Caches/roadmap"),
        (
            "win32",
            {"LOCALAPPDATA": "C:/Users/a/AppData/Local"},
            "C:/Users/a/AppData/Local/roadmap/Cache",
        ),
        ("win32", {"HOME": "C:/Users/a"}, "C:/Users/a/AppData/Local/roadmap/Cache"),
    ],
)
def test_the_cache_folder_follows_the_platforms_convention(
    platform: str, environ: dict[str, str], expected: str
) -> None:
    """As platformdirs' user_cache_dir (not a dependency) says for each platform."""
    from roadmap.cache import default_cache_dir

    assert default_cache_dir(platform, environ).as_posix() == expected


def test_the_code_fingerprint_covers_modules_inside_packages(tmp_path: Path) -> None:
    """The loader, checks, model and bundle are packages: a change in any of their
    modules must make old cache entries unreadable, as one in a top-level module does."""
    from roadmap.cache import code_fingerprint as cached

    code_fingerprint = cached.__wrapped__  # the process keeps its own; here each call reads
    (tmp_path / "load").mkdir()
    (tmp_path / "top.py").write_text("A = 1\n")
    inner = tmp_path / "load" / "validate.py"
    inner.write_text("B = 1\n")
    before = code_fingerprint(tmp_path)
    inner.write_text("B = 2\n")
    assert code_fingerprint(tmp_path) != before
    changed = code_fingerprint(tmp_path)
    inner.rename(tmp_path / "load" / "moved.py")  # same bytes, another module
    assert code_fingerprint(tmp_path) not in {before, changed}
