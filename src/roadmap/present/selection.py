"""``optimize``'s reasons and notes in words: optimize.py and recovery.py give codes
with parameters (optimize.Reason), worded here through the catalogs (context
``optimize:<code>``), in German or English. The English message ids below are the
catalogs' keys; JSON output uses English (its values never change with the language)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .i18n import marked, npgettext, pgettext
from .words import status_word

if TYPE_CHECKING:
    from ..optimize import Overrun, Reason, Selection
    from ..recovery import Step


# why a project is left out, forced in, or a note: the code's English message
MESSAGES: dict[str, str] = {
    "not-eligible": marked("optimize:not-eligible", "not eligible: {failures}"),
    "wont": marked("optimize:wont", "decided 'wont'"),
    "effort-missing": marked(
        "optimize:effort-missing",
        "effort missing: no budget and no staff estimated (--force-in funds it)",
    ),
    "force-out": marked("optimize:force-out", "--force-out"),
    "past-period-end": marked(
        "optimize:past-period-end",
        "does not fit into the period: from {start} on its {months} months end after {end}",
    ),
    "needs-cancelled": marked("optimize:needs-cancelled", "needs {id}, which is cancelled"),
    "needs-ruled-out": marked("optimize:needs-ruled-out", "needs {ids} (ruled out)"),
    "needs-paused": marked(
        "optimize:needs-paused", "needs {ids}, which the recovery proposal pauses"
    ),
    "budget": marked("optimize:budget", "budget {year}: needs {needed} EUR, {free} EUR free"),
    "budget+": marked(
        "optimize:budget+",
        "budget {year}: needs {needed} EUR with its prerequisites, {free} EUR free",
    ),
    "staff": marked("optimize:staff", "staff {year}: needs {needed} FTE-years, {free} free"),
    "staff+": marked(
        "optimize:staff+",
        "staff {year}: needs {needed} FTE-years with its prerequisites, {free} free",
    ),
    "running": marked(
        "optimize:running", "running-cost budget {year}: needs {needed} EUR, {free} EUR free"
    ),
    "running+": marked(
        "optimize:running+",
        "running-cost budget {year}: needs {needed} EUR with its prerequisites, {free} EUR free",
    ),
    "no-value": marked("optimize:no-value", "its own score is 0: funding it adds no value"),
    "outvalued": marked(
        "optimize:outvalued", "fits on its own, but only at the expense of projects worth more"
    ),
    "outvalued-later": marked(
        "optimize:outvalued-later",
        "fits on its own from {from} on, but only at the expense of projects worth more",
    ),
    "later-too": marked("optimize:later-too", "{reason}; no later start fits either ({starts})"),
    "paused": marked(
        "optimize:paused", "recovery proposal: pause it ({because}) so that the commitments fit"
    ),
    # why a project is forced in
    "must": marked("optimize:must", "decided 'must'"),
    "in-progress": marked("optimize:in-progress", "in progress (--keep-running)"),
    "committed": marked("optimize:committed", "committed: {as} with dates"),
    "force-in": marked("optimize:force-in", "--force-in"),
    "needed-by-commitment": marked("optimize:needed-by-commitment", "needed by a commitment"),
    # notes
    "over-committed": marked(
        "optimize:over-committed", "the commitments alone exceed the capacity: {details}"
    ),
    "over-committed-allowed": marked(
        "optimize:over-committed-allowed",
        "the commitments alone exceed the capacity (with {allow} % overrun allowed): {details}",
    ),
    "overrun": marked(
        "optimize:overrun",
        "{resource} {year}: {needed} {unit} needed, {available} available "
        "({over} over; mostly {ids})",
    ),
    "recovery-proposal": marked(
        "optimize:recovery-proposal", "recovery proposal (not applied to the files): {steps}"
    ),
    "pause": marked("optimize:pause", "pause {id} or defer it beyond the period (frees {frees})"),
    "pause-command": marked(
        "optimize:pause-command",
        "pause {id}: `{command}`, or defer it beyond the period (frees {frees})",
    ),
    "pause-spent": marked(
        "optimize:pause-spent",
        "pause {id}: `{command}` (the {spent} EUR spent up to today stay in the months "
        "before today; it resumes with the rest of its budget), or defer it beyond the "
        "period (frees {frees})",
    ),
    "starts-later": marked(
        "optimize:starts-later",
        "funded with a later start than their earliest, where there is room then: {ids}",
    ),
    "not-recoverable": marked(
        "optimize:not-recoverable",
        "not recoverable, already spent in months before today: {details}",
    ),
    "stretch-command": marked(
        "optimize:stretch-command",
        "stretch {id} from {before} to {months} months (until {end}, {fte} FTE; same total "
        "budget): `{command}` (frees {frees})",
    ),
    "frees": marked("optimize:frees", "{year}: {amount} EUR"),
    "frees-staff": marked("optimize:frees-staff", "{year}: {fte} FTE-years"),
    "frees-both": marked("optimize:frees-both", "{year}: {amount} EUR / {fte} FTE-years"),
    "frees-nothing": marked(
        "optimize:frees-nothing", "nothing itself: it needs a commitment that is paused"
    ),
    "funded-without-effort": marked(
        "optimize:funded-without-effort",
        "effort missing (no budget, no staff) for {ids}: funded as a commitment, as if free",
    ),
    "time-limit": marked(
        "optimize:time-limit",
        "stopped at the time limit: the best selection found, within {gap} of the optimum",
    ),
    "recovery-time-limit": marked(
        "optimize:recovery-time-limit",
        "the search for the mildest recovery proposal stopped at its time limit "
        "(--time-limit, default 1.5 s): the best proposal found, within {gap} of the mildest",
    ),
    # resources and units of an overrun
    "resource:budget": marked("optimize:resource:budget", "budget"),
    "resource:staff": marked("optimize:resource:staff", "staff"),
    "resource:running": marked("optimize:resource:running", "running-cost budget"),
    "unit:budget": marked("optimize:unit:budget", "EUR"),
    "unit:staff": marked("optimize:unit:staff", "FTE-years"),
    "unit:running": marked("optimize:unit:running", "EUR"),
    "status:fixed": marked("optimize:status:fixed", "fixed: true"),
}


class Words:
    """Numbers, lists and messages in one language."""

    def __init__(self, lang: str) -> None:
        from .texts import LOCALES

        self.lang = lang if lang in LOCALES else "en"
        self.locale = LOCALES[self.lang]

    def message(self, code: str, **params: Any) -> str:
        return pgettext(self.lang, f"optimize:{code}", MESSAGES[code]).format(**params)

    def number(self, value: float, digits: int = 0) -> str:
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def listing(self, items: Sequence[str]) -> str:
        from babel.lists import format_list

        return str(format_list(list(items), locale=self.locale)) if items else ""

    def percent(self, value: float) -> str:
        from babel.numbers import format_percent

        return str(format_percent(value, format="#,##0.0 %", locale=self.locale))


def reason_text(reason: Reason, lang: str = "en") -> str:
    """A left-out or forced-in reason in words."""
    words = Words(lang)
    return _reason(words, reason.code, reason.params)


def _reason(words: Words, code: str, params: Mapping[str, Any]) -> str:
    shown = dict(params)
    if code in ("budget", "staff", "running"):
        digits = 2 if code == "staff" else 0
        shown["needed"] = words.number(params["needed"], digits)
        shown["free"] = words.number(params["free"], digits)
        code += "+" if params.get("with_prerequisites") else ""
        shown.pop("with_prerequisites", None)
    if code == "paused":
        shown["because"] = _reason(words, params["because"], params)
    if code == "committed":
        status = str(params.get("as", ""))
        if status == "fixed":
            shown["as"] = words.message("status:fixed")
        else:  # English keeps the status as the files write it
            shown["as"] = status if words.lang == "en" else status_word(status, words.lang)
    if "ids" in shown:
        shown["ids"] = words.listing(shown["ids"])
    if "failures" in shown:
        shown["failures"] = "; ".join(shown["failures"])
    later = shown.pop("later", None)
    text = words.message(code, **shown)
    if later:
        return words.message("later-too", reason=text, starts=words.listing(later))
    return text


def note_texts(selection: Selection, lang: str = "en") -> list[str]:
    """The selection's notes in words: the over-commitment per year, the recovery
    proposal step by step, funded projects without effort, a time limit's gap."""
    words = Words(lang)
    texts = []
    for note in selection.notes:
        if note.code == "over-committed":
            details = "; ".join(_overrun(words, o) for o in selection.overrun)
            allow = float(note.params.get("allow", 0.0))
            if allow:
                texts.append(
                    words.message(
                        "over-committed-allowed", allow=words.number(allow, 1), details=details
                    )
                )
            else:
                texts.append(words.message("over-committed", details=details))
        elif note.code == "recovery-proposal":
            steps = "; ".join(step_text(s, lang) for s in selection.recovery)
            texts.append(words.message("recovery-proposal", steps=steps))
        elif note.code == "not-recoverable":
            details = "; ".join(_overrun(words, o) for o in selection.unrecoverable)
            texts.append(words.message(note.code, details=details))
        elif note.code in ("funded-without-effort", "starts-later"):
            texts.append(words.message(note.code, ids=words.listing(note.params["ids"])))
        elif note.code in ("time-limit", "recovery-time-limit"):
            texts.append(words.message(note.code, gap=words.percent(note.params["gap"])))
        else:
            texts.append(_reason(words, note.code, note.params))
    return texts


def _overrun(words: Words, o: Overrun) -> str:
    # euros whole (a committee does not read cents), staff-years to two decimals
    digits = 0 if o.resource == "budget" else 2
    return words.message(
        "overrun",
        resource=words.message(f"resource:{o.resource}"),
        year=o.year,
        needed=words.number(o.needed, digits),
        unit=words.message(f"unit:{o.resource}"),
        available=words.number(o.available, digits),
        over=words.number(o.over, digits),
        ids=words.listing([pid for pid, _ in o.causes[:3]]),
    )


def step_text(step: Step, lang: str = "en") -> str:
    """One step of the recovery proposal, with what it frees per year."""
    from babel.dates import format_date

    words = Words(lang)
    frees = _frees_text(step, words)
    if step.action == "pause":
        # the command to run, with the keys as `roadmap set` takes them
        command = " ".join(["roadmap set", step.id, *(f"{k}={v}" for k, v in step.writes.items())])
        if "effort.spent_eur" in step.writes:
            text = words.message(
                "pause-spent",
                id=step.id,
                command=command,
                spent=words.number(float(step.writes["effort.spent_eur"])),
                frees=frees,
            )
        else:
            text = words.message("pause-command", id=step.id, command=command, frees=frees)
        return text + _waiting(step, words)
    end = step.end
    command = " ".join(["roadmap set", step.id, *(f"{k}={v}" for k, v in step.writes.items())])
    return words.message(
        "stretch-command",
        id=step.id,
        command=command,
        before=step.months_before,
        months=step.months,
        end=format_date(end, format="medium", locale=words.locale) if end else "–",
        fte=words.number(step.staff_fte or 0.0, 2),
        frees=frees,
    )


def _waiting(step: Step, words: Words) -> str:
    """ "; 3 projects wait for it: a, b and c", or nothing."""
    if not step.dependants:
        return ""
    return "; " + npgettext(
        words.lang,
        "optimize:waiting",
        "{n} project waits for it: {ids}",
        "{n} projects wait for it: {ids}",
        len(step.dependants),
    ).format(n=len(step.dependants), ids=words.listing(list(step.dependants)))


def _frees_text(step: Step, words: Words) -> str:
    """What a step frees per year, budget and staff (negative: what it needs more)."""
    parts = []
    for year in sorted({*step.frees_budget, *step.frees_staff}):
        amount, fte = step.frees_budget.get(year), step.frees_staff.get(year)
        if amount is not None and fte is not None:
            parts.append(
                words.message(
                    "frees-both", year=year, amount=words.number(amount), fte=words.number(fte, 2)
                )
            )
        elif amount is not None:
            parts.append(words.message("frees", year=year, amount=words.number(amount)))
        elif fte is not None:
            parts.append(words.message("frees-staff", year=year, fte=words.number(fte, 2)))
    return words.listing(parts) if parts else words.message("frees-nothing")
