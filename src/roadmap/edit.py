"""Lossless edits of portfolio files and atomic writes.

An edit never re-serializes the document. It finds the exact characters of the value
to change with the parser's positions and splices new text in, so every byte it was not
asked to change stays as it was: comments, key order, quoting, flow or block style,
blank lines, line endings and the final newline (or its absence). A second parser
(ruamel.yaml) then reads the result and must see exactly the intended data, and the
portfolio must still validate, before anything is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import fcntl
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, PathPart, UsageError
from .load import _Resolver12, compose, construct, decode

_PLAIN = re.compile(r"^[\wÄÖÜäöüß][\w .,/()äöüÄÖÜß+-]*$")


# --------------------------------------------------------------------------- values


def render(value: Any) -> str:
    """A value as YAML 1.2 text that reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {render(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if (
        _PLAIN.match(text)
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and _resolves_to_string(text)
    ):
        return text
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def _resolves_to_string(text: str) -> bool:
    return _tag_of(text) == "tag:yaml.org,2002:str"


def _tag_of(text: str) -> str:
    """The tag a plain scalar gets under the YAML 1.2 core schema."""
    resolver: Any = _Resolver12()
    tag: str = resolver.resolve(yaml.ScalarNode, text, (True, False))
    return tag


def _render_like(value: Any, old: yaml.ScalarNode) -> str:
    """Keep the old scalar's quoting where the new value allows it."""
    if isinstance(value, str) and old.style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, str) and old.style == '"':
        return json.dumps(value, ensure_ascii=False)
    return render(value)


# --------------------------------------------------------------------------- documents


@dataclass
class Document:
    """A file's text and its node tree; edits splice the text and re-compose."""

    path: Path
    raw: bytes
    text: str
    bom: bool
    newline: str

    @classmethod
    def read(cls, path: Path) -> Document:
        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link; edit the file it points to")
        raw = path.read_bytes()
        text, problem = decode(raw)
        if text is None:
            raise DataError(f"{path}: {problem.message if problem else 'cannot be read'}")
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(path, raw, text, raw.startswith(b"\xef\xbb\xbf"), newline)

    def node(self) -> Any:
        node = compose(self.text)
        if node is None:
            raise DataError(f"{self.path} is empty")
        return node

    def data(self) -> Any:
        return construct(self.node())

    def encoded(self) -> bytes:
        return ("\ufeff" if self.bom else "").encode() + self.text.encode("utf-8")

    # ------------------------------------------------------------------ navigation

    def find(self, path: Sequence[PathPart]) -> tuple[Any, Any]:
        """The (key node, value node) at ``path``; (None, None) where it is missing."""
        node: Any = self.node()
        key = None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == part:
                        key, node = k, v
                        break
                else:
                    return None, None
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                key, node = None, node.value[part]
            else:
                return None, None
        return key, node

    def splice(self, start: int, end: int, replacement: str) -> None:
        self.text = self.text[:start] + replacement + self.text[end:]

    def line_start(self, index: int) -> int:
        start: int = self.text.rfind("\n", 0, index) + 1
        return start

    def line_end(self, index: int) -> int:
        """Index just after the line holding ``index`` (its newline included)."""
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def _value_end(self, node: Any) -> int:
        """Where a node's text really ends (a block node's end mark can sit on the next
        line, after comments)."""
        end: int = node.end_mark.index
        while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    # ------------------------------------------------------------------ edits

    def set_value(self, path: Sequence[PathPart], value: Any) -> None:
        """Set a scalar, or add the key (to its mapping, creating parents) if missing."""
        _, node = self.find(path)
        if node is not None:
            if isinstance(node, yaml.ScalarNode):
                self.splice(node.start_mark.index, node.end_mark.index, _render_like(value, node))
                return
            if isinstance(node, yaml.SequenceNode) and node.flow_style:
                self.splice(node.start_mark.index, node.end_mark.index, render(value))
                return
            raise UsageError(
                f"{'.'.join(map(str, path))} is a {type(node).__name__[:-4].lower()};"
                " set its items instead"
            )
        self.add_key(path[:-1], str(path[-1]), value)

    def add_key(self, parent_path: Sequence[PathPart], key: str, value: Any) -> None:
        _, parent = self.find(parent_path)
        if parent is None:  # create the parent mapping too
            self.add_key(parent_path[:-1], str(parent_path[-1]), {key: value})
            return
        if not isinstance(parent, yaml.MappingNode):
            raise UsageError(f"{'.'.join(map(str, parent_path))} is not a mapping")
        if parent.flow_style:
            close = self._value_end(parent) - 1  # the '}'
            separator = ", " if parent.value else ""
            self.splice(close, close, f"{separator}{key}: {render(value)}")
            return
        if not parent.value:
            raise UsageError(f"cannot add {key} to an empty mapping")
        indent = parent.value[0][0].start_mark.column
        last_key, last = parent.value[-1]
        # an alias's node is the anchored one, earlier in the text: the key is later
        end = max(last_key.end_mark.index, self._value_end(last))
        self._insert_line_at(end, " " * indent + self._key_value(key, value, indent))

    def _insert_line_after(self, node: Any, line: str) -> None:
        self._insert_line_at(self._value_end(node), line)

    def _insert_line_at(self, end: int, line: str) -> None:
        """A new line after the one holding ``end``; a file without a final newline stays
        without one."""
        at = self.line_end(end - 1)
        if at == len(self.text) and not self.text.endswith("\n"):
            self.splice(at, at, self.newline + line)
        else:
            self.splice(at, at, line + self.newline)

    def _key_value(self, key: str, value: Any, indent: int) -> str:
        if isinstance(value, dict) and value:
            inner = (self.newline + " " * (indent + 2)).join(
                f"{k}: {render(v)}" for k, v in value.items()
            )
            return f"{key}:{self.newline}{' ' * (indent + 2)}{inner}"
        return f"{key}: {render(value)}"

    def append_item(self, path: Sequence[PathPart], item: Any) -> None:
        """Append to a list (flow or block; in the style of its last item), creating it
        if missing."""
        _, node = self.find(path)
        if node is None:
            self.add_key(path[:-1], str(path[-1]), [item])
            return
        if not isinstance(node, yaml.SequenceNode):
            raise UsageError(f"{'.'.join(map(str, path))} is not a list")
        if node.flow_style:
            close = self._value_end(node) - 1  # the ']'
            separator = ", " if node.value else ""
            self.splice(close, close, f"{separator}{render(item)}")
            return
        last = node.value[-1]
        dash = self.text.rfind("-", self.line_start(last.start_mark.index), last.start_mark.index)
        prefix = self.text[self.line_start(last.start_mark.index) : dash]
        if isinstance(last, yaml.MappingNode) and not last.flow_style and isinstance(item, dict):
            column = last.value[0][0].start_mark.column
            lines = [f"{k}: {render(v)}" for k, v in item.items()]
            body = lines[0] + "".join(self.newline + " " * column + line for line in lines[1:])
        else:
            body = render(item)
        after = self.text[dash + 1 : last.start_mark.index]
        self._insert_line_after(last, f"{prefix}-{after}{body}")

    def remove_item(self, path: Sequence[PathPart], item: Any) -> None:
        _, node = self.find(path)
        if not isinstance(node, yaml.SequenceNode):
            raise UsageError(f"{'.'.join(map(str, path))} is not a list")
        position = next(
            (
                i
                for i, child in enumerate(node.value)
                if isinstance(child, yaml.ScalarNode) and construct(child) == item
            ),
            None,
        )
        if position is None:
            raise UsageError(f"{'.'.join(map(str, path))} has no item {item!r}")
        child = node.value[position]
        if node.flow_style:
            start, end = child.start_mark.index, child.end_mark.index
            if position + 1 < len(node.value):  # "a, " → remove up to the next item
                end = node.value[position + 1].start_mark.index
            elif position > 0:  # ", c" → remove from the previous item's end
                start = node.value[position - 1].end_mark.index
            self.splice(start, end, "")
            return
        if len(node.value) == 1:
            raise UsageError(
                f"{item!r} is the only item of {'.'.join(map(str, path))}; "
                "a block list cannot be left empty here — edit the file"
            )
        start = self.line_start(child.start_mark.index)
        self.splice(start, self.line_end(child.end_mark.index - 1), "")


# --------------------------------------------------------------------------- writing


def check_with_second_parser(text: str, expected: Any) -> None:
    """ruamel.yaml (YAML 1.2) must read the edited text as exactly the intended data."""
    from ruamel.yaml import YAML

    parser = YAML(typ="safe", pure=True)
    parser.version = (1, 2)
    try:
        seen = parser.load(io.StringIO(text))
    except Exception as exc:  # any parser failure means the splice went wrong
        raise DataError(
            f"internal error: the edit produced invalid YAML ({exc}); nothing was written"
        ) from None
    if _plain(seen) != _plain(expected):
        raise DataError(
            "internal error: the edited file would not read as intended; nothing was written"
        )


def _plain(value: Any) -> Any:
    """Data with dates as ISO text, so that both parsers' results compare."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Serialize edits of one folder between processes (read, change, write)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Temporary file in the same folder, fsync, rename over the target (keeping its
    mode), fsync the folder: a reader sees the old file or the new one, never half."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode if mode is not None else 0o644)
        _before_rename(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _before_rename(temporary: str) -> None:
    """A seam for the crash test: a process killed here leaves the original intact."""
    if os.environ.get("ROADMAP_TEST_CRASH_BEFORE_RENAME"):
        os.kill(os.getpid(), 9)


def unified_diff(path: Path, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Change:
    """One edit: ``set`` a value, ``append`` or ``remove`` a list item at ``path``."""

    kind: str
    path: tuple[PathPart, ...]
    value: Any

    def apply_text(self, document: Document) -> None:
        if self.kind == "set":
            document.set_value(self.path, self.value)
        elif self.kind == "append":
            document.append_item(self.path, self.value)
        else:
            document.remove_item(self.path, self.value)

    def apply_data(self, data: Any) -> None:
        """The same change on the parsed data: what the edited file must read as."""
        parent = data
        for part in self.path[:-1]:
            if isinstance(parent, dict):
                parent = parent.setdefault(part, {})
            else:
                parent = parent[int(part)]
        last = self.path[-1]
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        if self.kind == "set":
            parent[last] = value
        elif self.kind == "append":
            parent.setdefault(last, []).append(value)
        else:
            parent[last].remove(value)


def apply(path: Path, changes: Sequence[Change], validate: Any, dry_run: bool = False) -> str:
    """Apply ``changes`` to the file at ``path`` losslessly; ``validate(text)`` raises
    when the result would make the portfolio invalid. Returns the unified diff; writes
    (atomically, under a folder lock) unless ``dry_run``."""
    with folder_lock(path.parent):
        document = Document.read(path)
        before = document.text
        expected = document.data()
        for change in changes:
            change.apply_text(document)
            change.apply_data(expected)
        check_with_second_parser(document.text, expected)
        validate(document.text)
        diff = unified_diff(path, before, document.text)
        if not dry_run and document.text != before:
            write_atomically(path, document.encoded(), path.stat().st_mode & 0o7777)
        return diff


def create(path: Path, text: str) -> None:
    """Write a new file atomically; refuse to replace one that exists."""
    with folder_lock(path.parent):
        if path.exists() or path.is_symlink():
            raise UsageError(f"{path} exists already")
        write_atomically(path, text.encode("utf-8"), 0o644)


# --------------------------------------------------------------------------- commands

_ASSIGNMENT = re.compile(r"^(?P<key>[a-z_][a-z0-9_.-]*)(?P<op>\+=|-=|=)(?P<value>.*)$", re.S)
LIST_FIELDS = {"goals", "depends_on", "tags", "target_groups", "services", "distinct_from"}
NESTED = {"scores", "effort", "wsjf"}


def parse_value(text: str) -> Any:
    """A command-line value read as a YAML 1.2 scalar: 4 → 4, true → True, a date or
    a word stays text (the model then checks its type)."""
    from .load import _scalar

    node = yaml.ScalarNode(_tag_of(text), text)
    value = _scalar(node)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value  # dates stay ISO text, written plain
    return value


def parse_assignment(text: str, project_fields: Sequence[str]) -> Change:
    """``status=approved``, ``scores.citizen_value=4``, ``tags+=x``, ``depends_on-=y``."""
    from .load import did_you_mean

    match = _ASSIGNMENT.match(text)
    if match is None:
        raise UsageError(
            f"{text!r}: expected KEY=VALUE, KEY+=ITEM or KEY-=ITEM, e.g. status=approved"
        )
    key, op, raw = match["key"], match["op"], match["value"]
    path = tuple(key.split("."))
    if path[0] not in project_fields:
        raise UsageError(f"{key}: no such key{did_you_mean(path[0], project_fields)}")
    if path[0] in {"id", "milestones", "kpis"}:
        raise UsageError(
            f"{key} cannot be set here; use roadmap record for milestones and "
            "KPIs, and rename the file to change an id"
        )
    if len(path) > 2 or (len(path) == 2 and path[0] not in NESTED):
        raise UsageError(f"{key}: only scores.X, effort.X and wsjf.X have parts")
    if op != "=" and path[0] not in LIST_FIELDS:
        raise UsageError(f"{key} is not a list; use {key}=VALUE")
    if op == "=" and path[0] in LIST_FIELDS:
        raise UsageError(f"{key} is a list; add with {key}+=ITEM or remove with {key}-=ITEM")
    value = raw if path[0] in LIST_FIELDS else parse_value(raw)
    return Change({"=": "set", "+=": "append", "-=": "remove"}[op], path, value)


def project_validator(data_dir: Path, project_id: str) -> Any:
    """A check of an edited project file: its own problems, then the whole portfolio's
    references and cycles with it in place."""
    from .checks import portfolio_findings
    from .errors import Severity
    from .load import display_path, load_portfolio, load_project_text, locate_findings

    path = data_dir / "projects" / f"{project_id}.yaml"
    shown = display_path(path)

    def check(text: str) -> None:
        result = load_project_text(text, shown, project_id)
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        if errors:
            raise DataError(
                "the edit would make the file invalid, so nothing was written: "
                + "; ".join(f"line {p.line}: {p.message}" for p in errors)
            )
        loaded = load_portfolio(data_dir)
        if loaded.portfolio is None:
            raise DataError("strategy.yaml has errors; fix them first (roadmap validate)")
        portfolio = loaded.portfolio.model_copy(
            update={
                "projects": {**loaded.portfolio.projects, project_id: result.model},
                "project_files": {**loaded.portfolio.project_files, project_id: shown},
            }
        )
        findings = [
            f
            for f in portfolio_findings(portfolio, loaded.known_ids)
            if f.severity is Severity.ERROR and (f.file == shown or f.code == "dependency-cycle")
        ]
        if findings:
            located = locate_findings([f for f in findings if f.file != shown])
            messages = [f.message for f in findings if f.file == shown] + [str(p) for p in located]
            raise DataError(
                "the edit would make the portfolio invalid, so nothing was "
                "written: " + "; ".join(dict.fromkeys(messages))
            )

    return check


def strategy_validator(data_dir: Path) -> Any:
    from .errors import Severity
    from .load import display_path, load_strategy_text

    shown = display_path(data_dir / "strategy.yaml")

    def check(text: str) -> None:
        result = load_strategy_text(text, shown)
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        if errors:
            raise DataError(
                "the edit would make strategy.yaml invalid, so nothing was "
                "written: " + "; ".join(f"line {p.line}: {p.message}" for p in errors)
            )

    return check


def project_path(data_dir: Path, project_id: str) -> Path:
    from .load import did_you_mean, project_files

    path = data_dir / "projects" / f"{project_id}.yaml"
    if not path.exists():
        known = [p.stem for p in project_files(data_dir)]
        raise UsageError(f"no project {project_id!r}{did_you_mean(project_id, known)}")
    return path


def index_of(items: Sequence[Any], wanted: str, what: str, owner: str) -> int:
    from .load import did_you_mean

    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if wanted not in ids:
        known = [str(i) for i in ids if i]
        raise UsageError(
            f"{owner} has no {what} {wanted!r}{did_you_mean(wanted, known)}"
            f"{'; ' + what + 's: ' + ', '.join(known) if known else ''}"
        )
    return ids.index(wanted)


NEW_PROJECT = """\
# {title}
id: {id}
title: {title_yaml}
# summary: Ein Satz, was das Projekt für wen erreicht.
# description: >-
#   Ausführlicher: Ausgangslage, Lösung, Abgrenzung zu anderen Projekten.
{field}{department}{owner}status: {status}
# decision: must | should | could | wont   (Beschluss des Ausschusses)
# start: 2027-01-01
# duration_months: 12
# deadline: 2027-12-31   (harte Frist, z. B. gesetzlich)
effort:
  budget_eur: 0
  running_eur_per_year: 0
  staff_fte: 0
# depends_on: [andere-projekt-id]
{scores}# tags: [stichwort]
# target_groups: [citizens]   (citizens, businesses, staff, schools, visitors)
# services: ["99..."]   (LeiKa-Schlüssel der Leistung)
# personal_data: true   → dann dpia: Datum oder Link der Datenschutz-Folgenabschätzung
# citizen_facing: true  → dann accessibility: BITV 2.0 und analog_access: …
# open_source: true     (oder {{value: false, reason: "…"}})
# milestones:
#   - {{id: start, title: Projektstart, due: 2027-01-31}}
# kpis:
#   - id: nutzung
#     title: Nutzung
#     unit: Vorgänge
#     direction: increase
#     baseline: {{value: 0, date: 2026-12-31}}
#     target: {{value: 1000, date: 2027-12-31}}
"""


def new_project_text(
    project_id: str,
    title: str,
    criteria: Sequence[tuple[str, str]],
    field: str | None = None,
    department: str | None = None,
    owner: str | None = None,
    status: str = "idea",
) -> str:
    def line(key: str, value: str | None) -> str:
        return f"{key}: {render(value)}\n" if value else ""

    scores = "".join(f"#   {c}: …   ({scale})\n" for c, scale in criteria)
    return NEW_PROJECT.format(
        id=project_id,
        title=title.replace("\n", " "),
        title_yaml=render(title),
        field=line("field", field),
        department=line("department", department),
        owner=line("owner", owner),
        status=status,
        scores=f"# scores:   (bitte bewerten)\n{scores}" if scores else "",
    )


# --- moved from the CLI (arch)


def record_measurement(
    data_dir: Path, owner_id: str, kpi_id: str, value: float, day: dt.date, dry_run: bool = False
) -> tuple[Path, str]:
    """Append ``{date: day, value}`` to the measurements of the KPI ``kpi_id`` of the
    project ``owner_id`` or, when there is no such project, of the goal ``owner_id``.
    Returns the file and the diff (empty when nothing changed)."""
    measured = int(value) if value.is_integer() else value
    point = {"date": day, "value": measured}
    project = data_dir / "projects" / f"{owner_id}.yaml"
    if project.exists():
        kpis = Document.read(project).data().get("kpis") or []
        k = index_of(kpis, kpi_id, "KPI", owner_id)
        change = Change("append", ("kpis", k, "measurements"), point)
        return project, apply(project, [change], project_validator(data_dir, owner_id), dry_run)
    strategy = data_dir / "strategy.yaml"
    goals = Document.read(strategy).data().get("goals") or []
    if owner_id not in [g.get("id") for g in goals if isinstance(g, dict)]:
        raise UsageError(f"no project or goal {owner_id!r}")
    g = index_of(goals, owner_id, "goal", "strategy.yaml")
    k = index_of(goals[g].get("kpis") or [], kpi_id, "KPI", owner_id)
    change = Change("append", ("goals", g, "kpis", k, "measurements"), point)
    return strategy, apply(strategy, [change], strategy_validator(data_dir), dry_run)


def record_milestone_done(
    data_dir: Path, project_id: str, milestone_id: str, day: dt.date, dry_run: bool = False
) -> tuple[Path, str]:
    """Mark a project's milestone done on ``day``; the file and the diff."""
    path = project_path(data_dir, project_id)
    milestones = Document.read(path).data().get("milestones") or []
    m = index_of(milestones, milestone_id, "milestone", project_id)
    changes = [
        Change("set", ("milestones", m, "status"), "done"),
        Change("set", ("milestones", m, "done_on"), day),
    ]
    return path, apply(path, changes, project_validator(data_dir, project_id), dry_run)
