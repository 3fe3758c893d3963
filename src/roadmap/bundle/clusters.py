"""Bundles: cohesive groups of the pairs above a threshold, and the suggestions of a
portfolio (copies grouped first, so that any number of them is one bundle)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ..model import Portfolio, Project
from .candidates import MAX_SHARED, distinct, similar
from .pair import Bundle, Evidence, Pair
from .similarity import Similarity


def bundles(
    pairs: Sequence[Pair], projects: Sequence[Project], threshold: float, cohesion: float = 0.5
) -> list[Bundle]:
    """Group pairs into bundles, strongest pairs first; a project joins a bundle only if
    it is similar to *every* member (score ≥ ``cohesion`` × threshold) — no chains of
    A ~ B ~ C ~ D where A and D have nothing in common — and never a project the
    committee keeps distinct from it."""
    by_id = {p.id: p for p in projects}
    score = {(p.a, p.b): p for p in pairs}
    score.update({(p.b, p.a): p for p in pairs})
    floor = cohesion * threshold

    def fits(group: list[str], newcomer: str) -> bool:
        return all(
            (m, newcomer) in score
            and score[(m, newcomer)].score >= floor
            and not distinct(by_id[m], by_id[newcomer])
            for m in group
        )

    groups = _grow(pairs, fits)
    result = []
    for group in groups:
        members = sorted(group)
        inner = [
            score[(x, y)]
            for k, x in enumerate(members)
            for y in members[k + 1 :]
            if (x, y) in score
        ]
        strongest = sorted(inner, key=lambda p: -p.score)
        mean = math.fsum(p.score for p in inner) / len(inner)  # exact: same on every Python
        result.append(Bundle(members, mean, _reasons(strongest), strongest))
    result.sort(key=lambda b: (-round(b.score, 9), b.projects))  # ties by ids, not by float noise
    return result


def _grow(pairs: Sequence[Pair], fits: Callable[[list[str], str], bool]) -> list[list[str]]:
    """The groups that pairs form, strongest first, where ``fits(group, newcomer)``."""
    member_of: dict[str, int] = {}
    groups: list[list[str]] = []
    for pair in pairs:
        ga, gb = member_of.get(pair.a), member_of.get(pair.b)
        if ga is None and gb is None:
            member_of[pair.a] = member_of[pair.b] = len(groups)
            groups.append([pair.a, pair.b])
        elif ga is not None and gb is None and fits(groups[ga], pair.b):
            groups[ga].append(pair.b)
            member_of[pair.b] = ga
        elif gb is not None and ga is None and fits(groups[gb], pair.a):
            groups[gb].append(pair.a)
            member_of[pair.a] = gb
        elif (
            ga is not None
            and gb is not None
            and ga != gb
            and all(fits(groups[ga], m) for m in groups[gb])
        ):
            groups[ga].extend(groups[gb])
            for m in groups[gb]:
                member_of[m] = ga
            groups[gb] = []
    return [g for g in groups if g]


def _reasons(strongest: Sequence[Pair]) -> list[Evidence]:
    """The evidence of the pairs, each once, strongest pair first."""
    reasons: list[Evidence] = []
    for p in strongest:
        for r in p.reasons:
            if r not in reasons:
                reasons.append(r)
    return reasons


def synonyms_of(portfolio: Portfolio) -> tuple[tuple[str, ...], ...]:
    """The strategy's synonym groups (normalised when the model is built)."""
    return tuple(tuple(group) for group in portfolio.strategy.bundling.synonyms)


def suggest(
    portfolio: Portfolio, threshold: float | None = None, include_closed: bool = False
) -> tuple[list[Bundle], float]:
    """The bundles to suggest, and the threshold used (argument, strategy, default).

    More than MAX_SHARED copies (projects alike in every signal: the same words,
    services, tags, goals, target groups, program and prerequisites) are grouped first
    and one of each group is compared with the rest, so that any number of copies is
    one bundle, found in linear time; a project that others need or that a
    ``distinct_from`` names is never taken for a copy."""
    if threshold is None:
        threshold = portfolio.strategy.bundling.threshold
    projects = [p for _, p in sorted(portfolio.projects.items()) if include_closed or p.is_open]
    similarity = Similarity(projects, synonyms_of(portfolio))
    groups = _copies(similarity, threshold)
    if not groups:
        return bundles(similar(similarity, threshold), projects, threshold), threshold
    grouped = {m for members, _ in groups.values() for m in members}
    rows = sorted(set(range(len(projects))) - grouped | set(groups))
    found = bundles(similar(similarity, threshold, rows), [projects[i] for i in rows], threshold)
    copies = {
        projects[i].id: ([projects[m].id for m in ms], pair) for i, (ms, pair) in groups.items()
    }
    result = [_with_copies(b, copies) if copies.keys() & set(b.projects) else b for b in found]
    bundled = {pid for b in found for pid in b.projects}
    result += [_with_copies(Bundle([pid], 0.0, []), copies) for pid in copies if pid not in bundled]
    result.sort(key=lambda b: (-round(b.score, 9), b.projects))  # ties by ids, not by float noise
    return result, threshold


def _copies(similarity: Similarity, threshold: float) -> dict[int, tuple[list[int], Pair]]:
    """Groups of more than MAX_SHARED copies (their words would be no candidates'
    features) whose pair reaches the threshold: the first member → (all members, the
    pair of the first two)."""
    projects = similarity.projects
    needed = {d for p in projects for d in p.depends_on}
    kept_apart = {d for p in projects for d in p.distinct_from}
    kept_apart |= {p.id for p in projects if p.distinct_from}
    by_key: dict[tuple[object, ...], list[int]] = {}
    for i, p in enumerate(projects):
        if p.id in needed or p.id in kept_apart:
            continue
        key = (
            similarity.text_keys[i],
            frozenset(p.services),
            frozenset(p.tags),
            frozenset(p.goals),
            frozenset(p.target_groups),
            p.program,
            frozenset(p.depends_on),
        )
        by_key.setdefault(key, []).append(i)
    groups = {}
    for members in by_key.values():
        if len(members) > MAX_SHARED:  # fewer: the pair search finds them, as always
            a, b = members[0], members[1]
            pair = similarity.pair(a, b)
            if pair.score >= threshold:
                groups[a] = (members, pair)
    return groups


def _with_copies(bundle: Bundle, copies: dict[str, tuple[list[str], Pair]]) -> Bundle:
    """A bundle of group representatives with every copy in it: its score is the mean
    over all pairs of its projects (each pair of representatives stands for the pairs
    of their copies, each group's pair for the pairs inside it); one pair per kind."""

    def size(pid: str) -> int:
        return len(copies[pid][0]) if pid in copies else 1

    units = [(p, size(p.a) * size(p.b)) for p in bundle.pairs]
    units += [
        (copies[pid][1], size(pid) * (size(pid) - 1) // 2)
        for pid in bundle.projects
        if pid in copies
    ]
    members = sorted(
        m for pid in bundle.projects for m in (copies[pid][0] if pid in copies else [pid])
    )
    strongest = [p for p, _ in sorted(units, key=lambda unit: -unit[0].score)]
    score = sum(p.score * k for p, k in units) / sum(k for _, k in units)
    return Bundle(members, score, _reasons(strongest), strongest)
