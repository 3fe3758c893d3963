"""Content-keyed cache of per-file results and of what is derived from a whole portfolio.

Data only: entries are JSON, never pickle, so a planted or corrupt file can at most
cost a recomputation, never run code. Every entry file starts with a header line
(format, tool version, code fingerprint, kind, key, digest of the body); an entry whose
header or digest does not match is ignored and rewritten. The cache folder is created
user-only (0700), and a folder or entry that another user owns or may write is never
read: a shared folder cannot feed us answers.

Layout: ``<root>/v<version>-<fingerprint>/<hash of the data path>.<kind>.json``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Message

FORMAT = "roadmap-cache/2"
MAX_ENTRY_BYTES = 1 << 30  # a bigger file is not ours
PRUNE_AFTER_SECONDS = 30 * 24 * 3600  # entries nobody used for a month
STALE_TEMP_SECONDS = 3600  # temp files of a killed run
_PICKLED = (".pickle", ".findings", ".bundles")  # what versions before 0.2 wrote


class Cache:
    """Per-file results keyed by the file's content (and name, tool version), and values
    derived from the whole portfolio keyed by every file's content, so a stale answer
    is impossible: a changed byte, a removed or unreadable file is a different key."""

    def __init__(self, directory: Path | None, data_dir: Path) -> None:
        self.folder: Path | None = None
        self.path: Path | None = None  # the per-file entries; None: caching is off
        # key → the entry's JSON text: decoded only when a file asks for it, so the
        # cache of 30,000 files costs its bytes in memory, not 30,000 parsed trees
        self.entries: dict[str, bytes] = {}
        self.used: dict[str, bytes] = {}
        if directory is None:
            return
        self.folder = directory / f"v{__version__}-{code_fingerprint()}"
        tag = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
        self.path = self.folder / f"{tag}.files.json"
        body = _read_verified(self.path, "files", "")
        if body is not None:
            self.entries = _split_lines(body)

    @staticmethod
    def key(kind: str, name: str, data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=20, person=kind.encode()[:16]).hexdigest() + name

    def get(self, key: str) -> Any:
        """The JSON value stored for ``key``, or None."""
        hit = self.entries.get(key)
        if hit is None:
            return None
        try:
            value = json.loads(hit)
        except (ValueError, RecursionError):
            return None
        self.used[key] = hit
        return value

    def put(self, key: str, value: Any) -> None:
        if self.path is None:
            return  # caching is off: keep nothing
        with contextlib.suppress(TypeError, ValueError, RecursionError):  # not plain data
            self.used[key] = _dumps(value)

    def save(self) -> None:
        """Write the entries used in this run (so entries of removed files go)."""
        if self.path is None or self.used == self.entries:
            return
        body = b"".join(_dumps(key) + b"\t" + value + b"\n" for key, value in self.used.items())
        if _write_body(self.path, "files", "", body):
            prune(self.path.parent.parent)

    def derived(self, kind: str, key: str) -> Any:
        """What was computed from exactly this content (``kind``: "findings", the
        checks across files; "bundles", the suggestions), or None."""
        if self.path is None:
            return None
        stored = _read_entry(self._derived_path(kind), kind, key)
        if stored is None:
            return None
        try:
            return decode_value(stored)
        except (ValueError, TypeError, KeyError, IndexError):
            return None  # foreign or damaged: compute again

    def store_derived(self, kind: str, key: str, value: Any) -> None:
        if self.path is None:
            return
        try:
            encoded = encode_value(value)
        except TypeError:
            return  # a value the cache cannot hold as data is simply not cached
        _write_entry(self._derived_path(kind), kind, key, encoded)

    def _derived_path(self, kind: str) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name.replace(".files.", f".{kind}."))


# --------------------------------------------------------------------------- entries


def _header(kind: str, key: str, body: bytes) -> dict[str, str]:
    return {
        "format": FORMAT,
        "version": __version__,
        "fingerprint": code_fingerprint(),
        "kind": kind,
        "key": key,
        "digest": _keyed_digest(body),
    }


def _keyed_digest(body: bytes) -> str:
    """A digest only this user's key gives: an entry written anywhere else (a cache
    folder restored in CI from another branch, a copied home folder) is not trusted,
    because whoever wrote it did not have the key. Without a key there is no digest
    that matches, so nothing is read from the cache."""
    secret = cache_key()
    if secret is None:
        return "no key: " + os.urandom(16).hex()  # matches nothing
    return hashlib.blake2b(body, digest_size=32, key=secret).hexdigest()


_KEY: list[bytes | None] = []


def key_file() -> Path:
    """Where the cache key lives: the user's configuration folder, not the cache folder
    (caches are shared, copied and restored; configuration is not)."""
    base = os.environ.get("ROADMAP_CONFIG_DIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"),
        "roadmap",
    )
    return Path(base) / "cache.key"


def cache_key() -> bytes | None:
    """The user's 32-byte cache key, created (0600, in a 0700 folder) on first use; None
    when it cannot be read or made, or is not the user's alone."""
    if _KEY:
        return _KEY[0]
    path = key_file()
    secret: bytes | None = None
    try:
        if _ensure_folder(path.parent):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(os.urandom(32))
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(path, flags)
            try:
                info = os.fstat(fd)
                readable_by_others = info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
                if _trusted(info, want_dir=False) and not readable_by_others:
                    data = os.read(fd, 64)
                    secret = data if len(data) == 32 else None
            finally:
                os.close(fd)
    except OSError:
        secret = None
    _KEY.append(secret)
    return secret


def _trusted(info: os.stat_result, want_dir: bool) -> bool:
    """Ours and writable by nobody else: anything else may have been planted."""
    kind_ok = stat.S_ISDIR(info.st_mode) if want_dir else stat.S_ISREG(info.st_mode)
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return kind_ok and owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _dumps(value: Any) -> bytes:
    # JSON escapes tab and newline inside strings: one entry is one line
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _split_lines(body: bytes) -> dict[str, bytes]:
    """``"key"<TAB>json`` lines → key → json text; a line of another shape is dropped."""
    entries: dict[str, bytes] = {}
    for line in body.split(b"\n"):
        key, tab, value = line.partition(b"\t")
        if not tab:
            continue
        try:
            name = json.loads(key)
        except ValueError:
            continue
        if isinstance(name, str):
            entries[name] = value
    return entries


def _read_entry(path: Path, kind: str, key: str) -> Any:
    """The JSON value of a verified entry, or None."""
    body = _read_verified(path, kind, key)
    if body is None:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _read_verified(path: Path, kind: str, key: str) -> bytes | None:
    """The body of a verified entry, or None (missing, foreign, corrupt, not ours)."""
    try:
        if not _trusted(os.stat(path.parent), want_dir=True):
            return None
        # no link, no FIFO or device: open without following and without blocking
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not _trusted(info, want_dir=False) or info.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    head, newline, body = raw.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(head)
    except (ValueError, RecursionError):
        return None
    return body if header == _header(kind, key, body) else None


def _ensure_folder(folder: Path) -> bool:
    """Create the cache folders user-only; False if they exist but are not ours alone."""
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        return _trusted(os.stat(folder.parent), True) and _trusted(os.stat(folder), True)
    except OSError:
        return False


def _write_entry(path: Path, kind: str, key: str, value: Any) -> bool:
    try:
        body = _dumps(value)
    except (TypeError, ValueError, RecursionError):
        return False
    return _write_body(path, kind, key, body)


def _write_body(path: Path, kind: str, key: str, body: bytes) -> bool:
    """Write atomically; a cache that cannot be written only costs speed."""
    if not _ensure_folder(path.parent):
        return False
    head = json.dumps(_header(kind, key, body), sort_keys=True).encode()
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + b"\n" + body)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def prune(root: Path, now: float | None = None) -> int:
    """Remove entries (of any tool version) unused for a month, temp files left by a
    killed run and the pickles older versions wrote; the number of files removed."""
    now = time.time() if now is None else now
    removed = 0
    try:
        versions = [d for d in os.scandir(root) if d.name.startswith("v")]
    except OSError:
        return 0
    for version in versions:
        try:
            if not version.is_dir(follow_symlinks=False):
                continue
            names = list(os.scandir(version.path))
        except OSError:
            continue
        kept = 0
        for entry in names:
            try:
                info = entry.stat(follow_symlinks=False)
                temp = entry.name.endswith(".tmp")
                age = now - info.st_mtime
                if (
                    (temp and age > STALE_TEMP_SECONDS)
                    or (entry.name.endswith(".json") and age > PRUNE_AFTER_SECONDS)
                    or entry.name.endswith(_PICKLED)  # never read again: remove at once
                ):
                    os.unlink(entry.path)
                    removed += 1
                else:
                    kept += 1
            except OSError:
                kept += 1
        if not kept:
            with contextlib.suppress(OSError):
                os.rmdir(version.path)
    return removed


# --------------------------------------------------------------------------- values

# Derived values are lists of our dataclasses (problems, bundles). They are written as
# plain JSON with the class's name; reading one back only ever builds a dataclass or an
# enum of this package that the running program has already imported, with exactly its
# fields. Nothing named in a file is imported or called otherwise.


def encode_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):  # before str: Severity is a str enum
        return {"$enum": _type_name(type(value)), "v": value.value}
    if isinstance(value, Message):  # before str: it keeps its code and parameters
        return {
            "$message": [value.context, encode_value(value.template), encode_value(value.params)]
        }
    if isinstance(value, dt.date):  # a message's parameter
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only text keys")
        return {"$dict": {k: encode_value(v) for k, v in value.items()}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "$data": _type_name(type(value)),
            "f": [encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)],
        }
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode_value(value: Any) -> Any:
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$tuple" in value:
        return tuple(decode_value(v) for v in value["$tuple"])
    if "$dict" in value:
        return {str(k): decode_value(v) for k, v in value["$dict"].items()}
    if "$message" in value:
        context, template, params = (decode_value(v) for v in value["$message"])
        if not isinstance(context, str) or not isinstance(params, dict):
            raise ValueError("not a message")
        return Message(context, template, params)
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$enum" in value:
        return _known_type(value["$enum"], enum.Enum)(value["v"])
    if "$data" in value:
        cls: Any = _known_type(value["$data"], None)
        fields = value["f"]
        if not dataclasses.is_dataclass(cls) or len(fields) != len(dataclasses.fields(cls)):
            raise ValueError("not one of our records")
        build: Any = cls
        return build(*(decode_value(v) for v in fields))
    raise ValueError("unknown value")


def _type_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _known_type(name: Any, base: type | None) -> Any:
    """A class of this package that is already imported, by name; never imports."""
    if not isinstance(name, str):
        raise ValueError("bad type name")
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(__package__ + ".") or "." in qualname:
        raise ValueError(f"not our type: {name}")
    module = sys.modules.get(module_name)
    cls = getattr(module, qualname, None) if module is not None else None
    if not isinstance(cls, type) or cls.__module__ != module_name:
        raise ValueError(f"not our type: {name}")
    if base is not None and not issubclass(cls, base):
        raise ValueError(f"not an enum: {name}")
    if base is None and not dataclasses.is_dataclass(cls):
        raise ValueError(f"not a record: {name}")
    return cls


# --------------------------------------------------------------------------- keys


@functools.cache
def code_fingerprint(here: Path | None = None) -> str:
    """Hash of the code that produces cached results, so that a changed loader or model
    (even at the same version number) never reads an old cache. ``here``: the package
    folder (default: this package's)."""
    import pydantic

    digest = hashlib.blake2b(pydantic.VERSION.encode(), digest_size=8)
    here = Path(__file__).parent if here is None else here
    # every module, packages included (the loader, checks, model and bundle are
    # packages), and the word data the bundle suggestions read
    for path in sorted([*here.rglob("*.py"), *here.glob("data/*.gz")]):
        digest.update(path.relative_to(here).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache_dir(
    platform: str | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The user's cache folder by the platform's conventions (those of platformdirs'
    user_cache_dir): %LOCALAPPDATA%\\roadmap\\Cache on Windows, ~/Library/Caches/roadmap on
    macOS, $XDG_CACHE_HOME/roadmap (default ~/.cache/roadmap) elsewhere."""
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    home = environ.get("HOME") or os.path.expanduser("~")
    if platform == "win32":
        base = environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return Path(base) / "roadmap" / "Cache"
    if platform == "darwin":
        return Path(home) / "Library" / "Caches" / "roadmap"
    return Path(environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")) / "roadmap"
