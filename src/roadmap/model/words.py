"""German (and English) words for a project's status and decision, as spreadsheets and
people write them ("läuft", "genehmigt", "muss"), and the folding that compares them:
the import reads them, validate suggests the value they mean."""

from __future__ import annotations

import re
import unicodedata

from .base import STATUSES


def fold(text: str) -> str:
    """Lower case, umlauts spelled out, accents and punctuation gone, spaces single:
    "Abhängig von (Nr.)" → "abhaengig von nr"."""
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = text.replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


STATUS_WORDS: dict[str, str] = {
    **{s.replace("_", " "): s for s in STATUSES},
    "idee": "idea",
    "ideenphase": "idea",
    "vorgeschlagen": "proposed",
    "vorschlag": "proposed",
    "beantragt": "proposed",
    "angemeldet": "proposed",
    "geplant": "proposed",
    "in planung": "proposed",
    "beschlossen": "approved",
    "genehmigt": "approved",
    "freigegeben": "approved",
    "bewilligt": "approved",
    "in umsetzung": "in_progress",
    "umsetzung": "in_progress",
    "laufend": "in_progress",
    "laeuft": "in_progress",
    "in arbeit": "in_progress",
    "in bearbeitung": "in_progress",
    "gestartet": "in_progress",
    "pausiert": "on_hold",
    "ruht": "on_hold",
    "zurueckgestellt": "on_hold",
    "gestoppt": "on_hold",
    "abgeschlossen": "done",
    "erledigt": "done",
    "fertig": "done",
    "umgesetzt": "done",
    "in betrieb": "done",
    "abgebrochen": "cancelled",
    "eingestellt": "cancelled",
    "gestrichen": "cancelled",
    "verworfen": "cancelled",
}
DECISION_WORDS: dict[str, str] = {
    "must": "must",
    "should": "should",
    "could": "could",
    "wont": "wont",
    "won t": "wont",
    "muss": "must",
    "soll": "should",
    "kann": "could",
    "nicht": "wont",
    "wird nicht umgesetzt": "wont",
}
