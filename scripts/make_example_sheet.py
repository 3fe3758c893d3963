"""Writes examples/projektliste.xlsx and examples/projektliste.csv: a project list as a
city's departments keep it in Excel (German headers, a title line above the table,
amounts as text and as numbers, German dates, ja/nein/x, status words, dependencies by
row number, remarks). The README's "Von der Excel-Liste zum Portfolio" imports it.

Run: .venv/bin/python scripts/make_example_sheet.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent.parent / "examples"
HEADER = [
    "Nr.", "Projekt", "Kurzbeschreibung", "Amt", "Projektleitung", "Handlungsfeld",
    "Status", "Budget (EUR)", "Laufende Kosten p.a.", "VZÄ", "Beginn", "Ende",
    "Frist", "Abhängig von (Nr)", "Personenbezogene Daten", "Bürgernah", "Bemerkung",
]  # fmt: skip
D = dt.date
ROWS = [
    [1, "Einführung E-Akte (stadtweit)", "Elektronische Aktenführung in allen Ämtern",
     "Hauptamt", "Frau Keller", "Digitale Verwaltung", "in Umsetzung", "1.400.000,00",
     "120.000 €", "3,5", D(2025, 3, 1), D(2027, 12, 31), None, None, "ja", "nein", None],
    [2, "Dokumentenmanagementsystem", "Zentrales DMS als Basis der E-Akte", "IT-Amt",
     "Herr Yilmaz", "Digitale Verwaltung", "abgeschlossen", 380000, 45000, 1,
     "01.02.2024", "31.12.2024", None, None, "ja", "nein", None],
    [3, "Online-Terminvergabe Bürgerbüro", "Termine im Bürgerbüro online buchen",
     "Bürgeramt", "Frau Nowak", "Digitale Bürgerservices", "beschlossen", "85.000",
     "12.000", "0,5", "1.3.26", "30.9.26", None, None, "x", "x", None],
    [4, "WLAN in allen Schulen", "Flächendeckendes WLAN in den Klassenräumen",
     "Schulverwaltungsamt", "Herr Brandt", "Digitale Bildung", "in Umsetzung", 2100000,
     "60.000", 2, D(2025, 8, 1), D(2028, 7, 31), None, None, "nein", "nein", None],
    [5, "Digitaler Bauantrag", "Bauanträge online stellen und verfolgen", "Bauaufsicht",
     "Frau Schulte", "Digitale Bürgerservices", "vorgeschlagen", "450.000,00", "30.000",
     "1,5", None, None, D(2027, 12, 31), "1", "ja", "ja", "OZG-Leistung"],
    [6, "Schulanmeldung online", "Anmeldung an weiterführenden Schulen online",
     "Schulverwaltungsamt", "Herr Brandt", "Digitale Bildung", "Idee", "60.000", None,
     "0,3", None, None, None, None, "ja", "ja", None],
    [7, "Anmeldung weiterführende Schule digital", "Eltern melden ihr Kind online an",
     "Amt für Schule und Bildung", None, "Digitale Bildung", "Idee", "75.000", None,
     "0,5", None, None, None, None, "ja", "ja", "Doppelung mit Nr. 6?"],
    [8, "Urbane Datenplattform", "Offene Plattform für Sensordaten und Open Data",
     "Stabsstelle Digitalisierung", "Frau Okafor", "Smart City und Daten", "beschlossen",
     "900.000", "150.000", 2, D(2026, 1, 1), D(2027, 6, 30), None, "2", "nein", "nein", None],
    [9, "Parksensorik Innenstadt", "Freie Parkplätze in Echtzeit anzeigen",
     "Amt für Verkehrsmanagement", "Herr Weber", "Smart City und Daten", "vorgeschlagen",
     "320.000", "25.000", "0,5", None, None, None, "8", "nein", "ja", None],
    [10, "Barrierefreie Website", "Relaunch der Stadtwebsite nach BITV 2.0",
     "Presseamt", "Frau Kaya", "Teilhabe und Beteiligung", "in Umsetzung", "240.000",
     "20.000", 1, "01.09.2025", "31.08.2026", "23.06.2026", None, "nein", "ja",
     "Frist aus der BITV"],
    [11, "Glasfaser für Gewerbegebiete", "Ausbau mit Fördermitteln des Bundes",
     "Wirtschaftsförderung", "Herr Jansen", "Digitale Infrastruktur", "pausiert",
     "1.200.000", None, 1, None, None, None, None, "nein", "nein",
     "wartet auf Förderbescheid"],
    [12, "Beteiligungsportal", "Online-Beteiligung an Planungen", "Stadtplanungsamt",
     "Frau Ahrens", "Teilhabe und Beteiligung", "vorgeschlagen", "150.000", "18.000",
     "0,5", None, None, None, "3, 8", "ja", "ja", None],
]  # fmt: skip


def main() -> None:
    OUT.mkdir(exist_ok=True)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Projekte"
    sheet.append(["Projektliste Digitalisierung – Stand März 2026"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for column in ("K", "L", "M"):
        for cell in sheet[column][2:]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    workbook.properties.creator = "roadmap example"
    workbook.properties.created = dt.datetime(2026, 3, 1)
    workbook.properties.modified = dt.datetime(2026, 3, 1)
    workbook.save(OUT / "projektliste.xlsx")
    with (OUT / "projektliste.csv").open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for row in ROWS:
            writer.writerow(
                [
                    v.strftime("%d.%m.%Y")
                    if isinstance(v, dt.date)
                    else ("" if v is None else str(v).replace(".", ","))
                    if isinstance(v, float)
                    else ("" if v is None else v)
                    for v in row
                ]
            )


if __name__ == "__main__":
    main()
