"""One edit as a transaction: the changes spliced into the text, read back by a second
parser as exactly the intended data, every comment still beside its value, the result
validated, then written atomically under the folder lock."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import (
    check_writable,
    folder_lock,
    remove_orphans,
    remove_orphans_unless_busy,
    write_atomically,
)
from ..errors import DataError, PathPart, UsageError
from ..load import display_path
from ..yamlsplice import (
    Node,
    comment_owners,
    compose_positions,
    named_path,
    owners_lost,
    read_independently,
    walk,
)
from .document import Document

Validator = Callable[[str], None]


def check_with_second_parser(text: str, expected: Any) -> None:
    """ruamel.yaml (YAML 1.2) must read the edited text as exactly the intended data."""
    try:
        seen = read_independently(text)
    except ValueError as exc:  # the splice went wrong
        raise DataError(
            f"internal error: the edit produced invalid YAML ({exc}); nothing was written"
        ) from None
    if _plain(seen) != _plain(expected):
        raise DataError(
            "internal error: the edited file would not read as intended; nothing was written"
        )


def check_comments(
    before: str,
    after: str,
    edited: Sequence[Sequence[PathPart]],
    old_root: Node | None = None,
    new_root: Node | None = None,
) -> None:
    """Every comment still belongs to the value it belonged to (or went with a value
    the edit removed or rewrote). The texts' position trees may be given."""
    old_root = old_root or compose_positions(before)
    new_root = new_root or compose_positions(after)
    nodes = {path: node for path, node, _ in walk(old_root)}
    wrong = owners_lost(
        comment_owners(before, old_root),
        comment_owners(after, new_root),
        [named_path(nodes, path) for path in edited],
    )
    if wrong:
        raise DataError(
            f"internal error: the edit would move the comment {wrong[0]!r} to another "
            "value; nothing was written"
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

    def shown_at(self, document: Document) -> list[tuple[PathPart, ...]]:
        """Where the change will show in the document (before the change): more than one
        place for a value shared through an anchor."""
        return document.equivalent_paths(self.path, alias_is_own=self.kind == "set")

    def apply_data(self, data: Any, paths: Sequence[tuple[PathPart, ...]] = ()) -> None:
        """The same change on the parsed data, at ``paths`` (default: its own path):
        what the edited file must read as."""
        paths = paths or [self.path]
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        done: set[int] = set()
        for path in paths:
            parent = data
            for part in path[:-1]:
                if isinstance(parent, dict):
                    if parent.get(part) is None:
                        parent[part] = {}
                    parent = parent[part]
                else:
                    parent = parent[int(part)]
            last = path[-1]
            if self.kind == "set":
                parent[last] = copy.deepcopy(value)
                continue
            if parent.get(last) is None if isinstance(parent, dict) else False:
                parent[last] = []
            target = parent[last]
            if id(target) in done:  # one list object shared by both parsers' results
                continue
            done.add(id(target))
            if self.kind == "append":
                target.append(copy.deepcopy(value))
            elif value in target:
                target.remove(value)


def apply(
    path: Path,
    changes: Sequence[Change] | Callable[[Document], Sequence[Change]],
    validate: Validator,
    dry_run: bool = False,
    *,
    force: bool = False,
) -> str:
    """Apply ``changes`` to the file at ``path`` losslessly; ``validate(text)`` raises
    when the result would make the portfolio invalid. ``changes`` may be a function of
    the document, called under the lock (positions resolved there). Returns the unified
    diff; writes (atomically, under a folder lock) unless ``dry_run``."""
    with folder_lock(path.parent):
        if not dry_run:
            remove_orphans(path.parent)
            remove_orphans_in_other_folder(path)
            check_writable(path, force)
        before, document = edited(path, changes)
        if document.text != before:
            validate(document.text)
        diff = unified_diff(path, before, document.text)
        if not dry_run and document.text != before:
            write_atomically(path, document.encoded(), force=force)
        return diff


def edited(
    path: Path, changes: Sequence[Change] | Callable[[Document], Sequence[Change]]
) -> tuple[str, Document]:
    """The file's text before ``changes`` and the document after them: spliced, read
    back by the second parser as exactly the intended data, every comment still beside
    its value. Writes nothing; the caller holds the folder lock."""
    document = Document.read(path)
    before = document.text
    before_root = document.node()
    expected = document.data()
    if not isinstance(expected, dict):  # "--- \n...": a document of no keys
        raise document.refusal(
            document.node().start,
            "edit-not-a-mapping",
            "the file holds no keys (it is empty, a list or a single value); write 'key: value' "
            "lines, e.g. id and title, then edit again",
        )
    planned = changes(document) if callable(changes) else changes
    for change in planned:
        shown_at = change.shown_at(document)
        if len(shown_at) > 1:  # an anchored value that aliases elsewhere repeat
            raise document.refuse_shared(change.path, shown_at)
        change.apply_text(document)  # refuses what cannot be done, with a message
        change.apply_data(expected, shown_at)
    if document.text != before:
        check_with_second_parser(document.text, expected)
        paths = [c.path for c in planned]
        check_comments(before, document.text, paths, before_root, document.node())
    return before, document


def create(path: Path, text: str) -> None:
    """Write a new file atomically; refuse to replace one that exists."""
    with folder_lock(path.parent):
        remove_orphans(path.parent)
        remove_orphans_in_other_folder(path)
        if path.exists() or path.is_symlink():
            raise UsageError(f"{display_path(path)} exists already")
        write_atomically(path, text.encode("utf-8"), 0o644)


def remove_orphans_in_other_folder(path: Path) -> None:
    """A portfolio's edits write in two folders, the data folder (strategy.yaml) and
    its projects/: an edit in one also removes what a killed edit left in the other."""
    folder = path.parent
    other = folder.parent if folder.name == "projects" else folder / "projects"
    if other.is_dir():
        remove_orphans_unless_busy(other)
