"""A data folder → the portfolio: ``strategy.yaml`` and every ``projects/*.yaml`` read,
validated and cached by content, every problem collected; and further files of the data
folder (raters' files, import mappings) read by the same rules."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..cache import Cache
from ..errors import Problem, Severity, UsageError, say
from ..model import Portfolio, Project, Strategy
from .files import MAX_FILE_BYTES, RawProblem, decode, display_path, project_files, read_file
from .syntax import locate_in_file, parse
from .validate import FileResult, load_document, load_project_text, load_strategy_text

# KPI values of all projects together: about 1 KiB of memory each once validated, so
# this keeps them under 200 MiB (300 projects with 3 monthly KPIs for 10 years: 108,000)
MAX_PORTFOLIO_MEASUREMENTS = 200_000

# --------------------------------------------------------------------------- portfolio


@dataclass
class LoadResult:
    portfolio: Portfolio | None
    problems: list[Problem]
    known_ids: set[str] = field(default_factory=set)  # every project file, valid or not
    # id → (partial model, file) of invalid project files, for reference checks
    partials: dict[str, tuple[Project, str]] = field(default_factory=dict)
    # every file's content key and the working directory (problems name files
    # relative to it): what the checks across files depend on
    content_key: str = ""
    cache: Cache | None = None


def load_portfolio(
    data_dir: Path, cache_dir: Path | None = None, today: dt.date | None = None
) -> LoadResult:
    """Read ``strategy.yaml`` and every ``projects/*.yaml``; collect every problem.
    ``today`` is part of the content key (checks of dates in the future use it)."""
    with gc_paused():
        return _load_portfolio(data_dir, cache_dir, today or dt.date.today())


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading builds hundreds of thousands of
    objects and no cycles, and each collection rescans them all (at 30,000 projects
    this halves the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_portfolio(data_dir: Path, cache_dir: Path | None, today: dt.date) -> LoadResult:
    if not data_dir.is_dir():
        raise UsageError(
            f"data folder {display_path(data_dir)} does not exist "
            "(use --data DIR or set ROADMAP_DATA)"
        )
    strategy_path = data_dir / "strategy.yaml"
    if not os.path.lexists(strategy_path):
        raise UsageError(
            f"no strategy.yaml in {display_path(data_dir)}; is --data the "
            "portfolio folder (the one with strategy.yaml and projects/)?"
        )
    strategy_shown = display_path(strategy_path)
    folder_shown = display_path(data_dir / "projects")  # relpath is slow: once per folder
    reader = _FolderReader(data_dir, Cache(cache_dir, data_dir))
    # What the checks across files depend on besides the files: the names they are
    # shown under (a linked data path shows other names) and today (dates in the future).
    for part in (os.getcwd(), strategy_shown, folder_shown, today.isoformat()):
        reader.content.update(part.encode() + b"\0")
    strategy_result = reader.read(strategy_path, strategy_shown, "strategy", None)
    problems = [p.located(strategy_shown) for p in strategy_result.problems]
    found = _read_projects(reader, folder_shown, problems)
    reader.cache.save()
    used_cache = reader.cache if reader.cache.path is not None else None
    key = reader.content.hexdigest()
    if strategy_result.model is None:
        return LoadResult(None, problems, found.known, found.partials, key, used_cache)
    portfolio = Portfolio(
        strategy=strategy_result.model,
        projects=found.projects,
        strategy_file=strategy_shown,
        project_files=found.files,
    )
    return LoadResult(portfolio, problems, found.known, found.partials, key, used_cache)


class _FolderReader:
    """The files of one data folder read through the content-keyed cache, and the
    content key of everything read (a class, not a closure: see syntax._Builder)."""

    def __init__(self, data_dir: Path, cache: Cache) -> None:
        self.data_dir = data_dir
        self.cache = cache
        self.content = hashlib.blake2b(digest_size=20)

    def read(self, path: Path, shown: str, kind: str, stem: str | None) -> FileResult:
        """One file's result, from the cache when its bytes were read before."""
        raw, read_problem = read_file(path, self.data_dir)
        if read_problem is not None or raw is None:
            # an unreadable file, a broken link, a folder: part of the key too, so that
            # removing or fixing it never reuses what was found with it
            self.content.update(f"{path.name}\0{read_problem}\0".encode())
            return FileResult(None, [read_problem] if read_problem else [])
        key = Cache.key(kind, path.name, raw)
        self.content.update(key.encode() + b"\0")

        def loaded(text: str) -> FileResult:
            if stem is None:
                return load_strategy_text(text, shown)
            return load_project_text(text, shown, stem)

        return _through_cache(self.cache, key, raw, Strategy if stem is None else Project, loaded)


@dataclass
class _Projects:
    """The project files read so far."""

    projects: dict[str, Project] = field(default_factory=dict)  # the valid ones by id
    files: dict[str, str] = field(default_factory=dict)  # id → file as shown
    known: set[str] = field(default_factory=set)  # every project file's stem
    partials: dict[str, tuple[Project, str]] = field(default_factory=dict)
    measurements: int = 0  # KPI values kept so far

    def within_measurement_limit(
        self, project: Project, path: Path, shown: str, problems: list[Problem]
    ) -> bool:
        """Whether the project's KPI values still fit; the file that passes the limit
        is reported, it and every later file with KPI values are not kept (memory stays
        bounded)."""
        before = self.measurements
        self.measurements += sum(len(kpi.measurements) for kpi in project.kpis)
        if before > MAX_PORTFOLIO_MEASUREMENTS:
            return False  # reported once, at the file that passed the limit
        if self.measurements > MAX_PORTFOLIO_MEASUREMENTS:
            line, column = locate_in_file(path, ("kpis",), at_key=True)
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    Severity.ERROR,
                    "too-many-measurements",
                    f"with this file the portfolio holds more than "
                    f"{MAX_PORTFOLIO_MEASUREMENTS:,} KPI measurements, more than roadmap "
                    "keeps in memory; aggregate old values (e.g. monthly). This and "
                    "the later files with KPI values are not checked further",
                )
            )
            return False
        return True

    def add(self, result: FileResult, path: Path, shown: str, problems: list[Problem]) -> None:
        """A file's valid project, or its partial one; a second file with an id is reported."""
        project = result.model
        if project is None:
            if result.partial is not None:
                self.partials[path.stem] = (result.partial, shown)
            return
        if project.id in self.projects:
            line, column = locate_in_file(path, ("id",))
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    Severity.ERROR,
                    "duplicate-id",
                    say(
                        "problem",
                        "project id {id} is also used by {file}; ids must be unique",
                        id=repr(project.id),
                        file=self.files[project.id],
                    ),
                )
            )
            return
        self.projects[project.id] = project
        self.files[project.id] = shown


def _read_projects(reader: _FolderReader, folder_shown: str, problems: list[Problem]) -> _Projects:
    """Every file of ``projects/``, in name order; their problems appended to ``problems``."""
    found = _Projects()
    try:
        paths = project_files(reader.data_dir)
    except OSError as exc:
        paths = []
        problems.append(
            Problem(
                folder_shown,
                1,
                1,
                Severity.ERROR,
                "folder-unreadable",
                f"cannot list the project files: {exc.strerror}",
            )
        )
        reader.content.update(b"folder-unreadable\0")
    for path in paths:
        shown = os.path.join(folder_shown, path.name)
        result = reader.read(path, shown, "project", path.stem)
        problems += [p.located(shown) for p in result.problems]
        found.known.add(path.stem)
        project = result.model
        if (
            project is not None
            and project.kpis
            and not found.within_measurement_limit(project, path, shown, problems)
        ):
            continue
        found.add(result, path, shown, problems)
    return found


# --------------------------------------------------------------------------- other files


def read_yaml_file(path: Path) -> tuple[Any, list[Problem]]:
    """A YAML file beside the portfolio (an import mapping, say), read by the same
    YAML 1.2 rules and limits as the portfolio's files; its problems located."""
    shown = display_path(path)
    raw, unreadable = read_file(path, path.parent)
    if unreadable is not None or raw is None:
        stop = unreadable or RawProblem(1, 1, Severity.ERROR, "unreadable", "cannot read it")
        return None, [stop.located(shown)]
    text, undecodable = decode(raw)
    if undecodable is not None or text is None:
        stop = undecodable or RawProblem(1, 1, Severity.ERROR, "file-encoding", "not UTF-8")
        return None, [stop.located(shown)]
    value, _, syntax = parse(text)
    return value, [] if syntax is None else [syntax.located(shown)]


def read_yaml_bytes(raw: bytes, shown: str) -> tuple[Any, list[Problem]]:
    """YAML read from elsewhere than a file (standard input), by the rules and limits
    of :func:`read_yaml_file`; its problems located in ``shown``."""
    text, undecodable = decode(raw[: MAX_FILE_BYTES + 1])
    if undecodable is not None or text is None:
        stop = undecodable or RawProblem(1, 1, Severity.ERROR, "file-encoding", "not UTF-8")
        return None, [stop.located(shown)]
    value, _, syntax = parse(text)
    return value, [] if syntax is None else [syntax.located(shown)]


def load_model_file(
    path: Path, data_root: Path, shown: str, model: type[BaseModel], cache: Cache | None
) -> FileResult:
    """A further kind of file of the data folder (a rater's file) read and validated like
    the portfolio's files, through the same content-keyed cache."""
    raw, unreadable = read_file(path, data_root)
    if unreadable is not None or raw is None:
        return FileResult(None, [unreadable] if unreadable else [])
    key = Cache.key(model.__name__.lower(), path.name, raw)
    return _through_cache(
        cache, key, raw, model, lambda text: load_document(text, shown, model, None)
    )


def _through_cache(
    cache: Cache | None,
    key: str,
    raw: bytes,
    model: type[BaseModel],
    loaded: Callable[[str], FileResult],
) -> FileResult:
    """A file's result from the cache under ``key`` (its content's key) when a usable
    entry is there; else decoded, ``loaded`` and stored for the next run."""
    entry = cache.get(key) if cache is not None else None
    if entry is not None:
        hit = FileResult.from_cache(entry, model)
        if hit is not None:
            return hit
    text, undecodable = decode(raw)
    if text is None:
        return FileResult(None, [undecodable] if undecodable else [])
    result = loaded(text)
    cached = result.cached()
    if cache is not None and cached is not None:
        cache.put(key, cached)
    return result
