#!/usr/bin/env python3
"""Generate fixtures/demo.json, somock's bundled demo data.

    python3 scripts/gen-demo.py [OUTPUT]      (default: fixtures/demo.json)
    python3 scripts/gen-demo.py --check       exit 1 if the committed file differs

Standard library only and fully deterministic: one seeded random.Random, no
clock, no locale, no time-zone database (the two DST rules used for writing
offsets are coded below). Running it twice gives byte-identical output, so
the committed demo.json is simply this script's output.

The data is SuperOffice-like: associates onsite and in two online tenants,
tickets/tokens/sessions/apps for every authentication scheme, [SR_...]
resources in eight languages, and ~95 batch tasks in every BatchTaskState
(except `All`), user and system tasks, with multi-language values, dates on
both sides of EU and US DST changes, and a few hostile strings for the
JSON/XML renderers. fixtures/README.md documents the logins.
"""

import json
import os
import random
import sys

SEED = 20240331
RNG = random.Random(SEED)

# --------------------------------------------------------------------------
# .NET ticks (100 ns since 0001-01-01T00:00:00 UTC) and date formatting.

TICKS_PER_SECOND = 10_000_000
TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND


def days_from_civil(y, m, d):
    """Days since 1970-01-01 (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


EPOCH_TICKS = 621355968000000000  # 1970-01-01T00:00:00Z


def ticks(y, mo, d, h=0, mi=0, s=0, frac=0):
    """UTC instant as ticks; frac is in 100 ns units (0..9999999)."""
    days = days_from_civil(y, mo, d)
    return (EPOCH_TICKS + days * TICKS_PER_DAY
            + (h * 3600 + mi * 60 + s) * TICKS_PER_SECOND + frac)


def weekday(y, m, d):
    """0 = Monday ... 6 = Sunday."""
    return (days_from_civil(y, m, d) + 3) % 7


def last_sunday(y, m):
    nd = 31 if m in (3, 10) else 30
    return nd - (weekday(y, m, nd) + 1) % 7


def nth_sunday(y, m, n):
    first = 1 + (6 - weekday(y, m, 1)) % 7
    return first + 7 * (n - 1)


def oslo_offset(t):
    """Europe/Oslo (EU rule): CEST from last Sun Mar 01:00Z to last Sun Oct 01:00Z."""
    y = civil_from_days((t - EPOCH_TICKS) // TICKS_PER_DAY)[0]
    start = ticks(y, 3, last_sunday(y, 3), 1)
    end = ticks(y, 10, last_sunday(y, 10), 1)
    return 120 if start <= t < end else 60


def new_york_offset(t):
    """America/New_York (US rule since 2007): 2nd Sun Mar 07:00Z to 1st Sun Nov 06:00Z."""
    y = civil_from_days((t - EPOCH_TICKS) // TICKS_PER_DAY)[0]
    start = ticks(y, 3, nth_sunday(y, 3, 2), 7)
    end = ticks(y, 11, nth_sunday(y, 11, 1), 6)
    return -240 if start <= t < end else -300


def fmt(t, offset_min=0, style="z", frac_digits=7):
    """Write instant t as the fixture loader reads it.

    style: "z" -> ...Z; "off" -> ...+hh:mm (local time at that offset);
    "naive" -> no designator (somock takes it as UTC, so offset must be 0).
    frac_digits: 7, 3 or 0 (0 drops the fraction; the instant must be whole).
    """
    local = t + offset_min * 60 * TICKS_PER_SECOND
    days, rem = divmod(local - EPOCH_TICKS, TICKS_PER_DAY)
    y, mo, d = civil_from_days(days)
    secs, frac = divmod(rem, TICKS_PER_SECOND)
    h, secs = divmod(secs, 3600)
    mi, s = divmod(secs, 60)
    out = "%04d-%02d-%02dT%02d:%02d:%02d" % (y, mo, d, h, mi, s)
    if frac_digits == 7:
        out += ".%07d" % frac
    elif frac_digits == 3:
        assert frac % 10_000 == 0
        out += ".%03d" % (frac // 10_000)
    else:
        assert frac == 0
    if style == "z":
        assert offset_min == 0
        out += "Z"
    elif style == "off":
        sign = "+" if offset_min >= 0 else "-"
        out += "%s%02d:%02d" % (sign, abs(offset_min) // 60, abs(offset_min) % 60)
    else:
        assert style == "naive" and offset_min == 0
    return out


def write_date(t):
    """Pick one of several equivalent spellings of instant t (RNG-driven)."""
    r = RNG.random()
    if r < 0.55:
        return fmt(t, 0, "z", 7)
    if r < 0.80:
        return fmt(t, oslo_offset(t), "off", 7)
    if r < 0.93:
        return fmt(t, new_york_offset(t), "off", 7)
    return fmt(t, 0, "naive", 7)


def rand_instant(lo, hi, precision):
    """Random instant in [lo, hi); precision: 'tick', 'ms' or 's'."""
    t = RNG.randrange(lo, hi)
    if precision == "s":
        t -= t % TICKS_PER_SECOND
    elif precision == "ms":
        t -= t % 10_000
    return t


def spell(t):
    """Spelling that matches the instant's precision."""
    if t % TICKS_PER_SECOND == 0:
        r = RNG.random()
        if r < 0.5:
            return fmt(t, 0, "z", 0)
        if r < 0.8:
            return fmt(t, oslo_offset(t), "off", 0)
        return fmt(t, new_york_offset(t), "off", 0)
    if t % 10_000 == 0:
        r = RNG.random()
        if r < 0.5:
            return fmt(t, 0, "z", 3)
        return fmt(t, oslo_offset(t), "off", 3)
    return write_date(t)


# --------------------------------------------------------------------------
# People, credentials, apps.

ONSITE_SERIAL = "1067893720"
TENANT_SERIAL = {None: ONSITE_SERIAL, "Cust12345": "3310018442",
                 "Cust54321": "7728104455"}

# (id, login, password, full name, tenant, preferred language)
ASSOCIATES = [
    (53, "tje0", "Tje0", "Tje Null", None, "SW"),
    (11, "eva", "Eva-Nordmann1", "Eva Nordmann", None, "NO"),
    (12, "jgreen", "p@ss:word 1", "John Green", None, "US"),
    (21, "kmueller", "Kennwort-21", "Klaus Müller", "Cust12345", "GE"),
    (22, "asvensson", "Losen-22", "Anna Svensson", "Cust12345", "SW"),
    (23, "jdevries", "Wachtwoord-23", "Jan de Vries", "Cust12345", "NL"),
    (31, "mjensen", "Adgang-31", "Mette Jensen", "Cust54321", "DA"),
    (32, "cdubois", "MotDePasse-32", "Claire Dubois", "Cust54321", "FR"),
    (33, "pgarcia", "Contrasena-33", "Pablo García", "Cust54321", "SP"),
]
TENANT_OF = {a[0]: a[4] for a in ASSOCIATES}

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
B32LOWER = "abcdefghijklmnopqrstuvwxyz012345"


def rstr(alphabet, n):
    return "".join(RNG.choice(alphabet) for _ in range(n))


FAR = "2099-12-31T23:59:59Z"
PAST = "2020-01-01T00:00:00Z"


def build_credentials():
    associates = []
    for aid, login, pw, full, tenant, _lang in ASSOCIATES:
        a = {"AssociateId": aid, "Name": login, "Password": pw, "FullName": full}
        if tenant:
            a["Tenant"] = tenant
        associates.append(a)

    tickets = []
    for aid, *_ in ASSOCIATES:
        tickets.append({"Ticket": "7T:" + rstr(B64, 44), "AssociateId": aid,
                        "Expires": FAR})
    tickets.append({"Ticket": "7T:" + rstr(B64, 44), "AssociateId": 53,
                    "Expires": PAST})
    tickets.append({"Ticket": "7T:" + rstr(B64, 44), "AssociateId": 21,
                    "Expires": PAST})

    tokens = []
    for i, (aid, _l, _p, _f, tenant, _g) in enumerate(ASSOCIATES):
        prefix = tenant if tenant else "SuperOffice"
        tokens.append({"Token": "8A:%s.%s" % (prefix, rstr(B64URL, 64)),
                       "AssociateId": aid,
                       "Expires": None if i % 3 == 2 else FAR})
    tokens.append({"Token": "8A:Cust12345.%s" % rstr(B64URL, 64),
                   "AssociateId": 22, "Expires": PAST})
    tokens.append({"Token": "8A:SuperOffice.%s" % rstr(B64URL, 64),
                   "AssociateId": 53, "Expires": PAST})

    sessions = []
    for aid in (53, 11, 21, 31):
        sessions.append({"SessionId": rstr(B32LOWER, 24),
                         "XsrfToken": rstr("0123456789abcdef", 32),
                         "AssociateId": aid})

    apps = [
        {"Name": "Somock test client", "AppToken": rstr("0123456789abcdef", 32)},
        {"Name": "Nordic Mailing Partner", "AppToken": rstr("0123456789abcdef", 32)},
    ]
    return associates, tickets, tokens, sessions, apps


# --------------------------------------------------------------------------
# Resources: [SR_...] strings in SuperOffice's language prefixes.

LANGS = ("US", "NO", "GE", "SW", "DA", "NL", "FR", "SP")

RESOURCES = {
    "SR_BATCH_EXPORT": (
        "Export", "Eksport", "Export", "Export", "Eksport", "Exporteren",
        "Exportation", "Exportación"),
    "SR_BATCH_IMPORT": (
        "Import", "Import", "Import", "Import", "Import", "Importeren",
        "Importation", "Importación"),
    "SR_BATCH_DOCUMENT_ARCHIVE_IMPORT": (
        "Document archive import", "Import av dokumentarkiv",
        "Dokumentarchiv importieren", "Import av dokumentarkiv",
        "Import af dokumentarkiv", "Documentarchief importeren",
        "Importation de l'archive de documents",
        "Importación del archivo de documentos"),
    "SR_BATCH_REINDEX": (
        "Rebuild free-text index", "Bygg fritekstindeksen på nytt",
        "Volltextindex neu aufbauen", "Bygg om fritextindexet",
        "Genopbyg fritekstindekset", "Vrijetekstindex opnieuw opbouwen",
        "Reconstruire l'index de texte intégral",
        "Reconstruir el índice de texto libre"),
    "SR_BATCH_MAILING": (
        "Send mailing", "Send utsendelse", "Mailing versenden",
        "Skicka utskick", "Send udsendelse", "Mailing verzenden",
        "Envoyer le publipostage", "Enviar el envío masivo"),
    "SR_BATCH_MAILING_CANCELLATION": (
        "Stopping the mailing now means some recipients will not get it.",
        "Stopper du utsendelsen nå, får noen mottakere den ikke.",
        "Wenn Sie das Mailing jetzt stoppen, erhalten es einige Empfänger nicht.",
        "Om du stoppar utskicket nu får vissa mottagare det inte.",
        "Stopper du udsendelsen nu, får nogle modtagere den ikke.",
        "Als u de mailing nu stopt, ontvangen sommige ontvangers hem niet.",
        "Si vous arrêtez le publipostage maintenant, certains destinataires ne le recevront pas.",
        "Si detiene el envío ahora, algunos destinatarios no lo recibirán."),
    "SR_BATCH_SELECTION_RECALC": (
        "Recalculate selection", "Beregn utvalget på nytt",
        "Auswahl neu berechnen", "Beräkna urvalet på nytt",
        "Genberegn udvalget", "Selectie opnieuw berekenen",
        "Recalculer la sélection", "Recalcular la selección"),
    "SR_BATCH_EXPORT_CONTACTS_DESC": (
        "Exports the companies in the selection to an Excel file.",
        "Eksporterer firmaene i utvalget til en Excel-fil.",
        "Exportiert die Firmen der Auswahl in eine Excel-Datei.",
        "Exporterar företagen i urvalet till en Excel-fil.",
        "Eksporterer firmaerne i udvalget til en Excel-fil.",
        "Exporteert de bedrijven in de selectie naar een Excel-bestand.",
        "Exporte les sociétés de la sélection vers un fichier Excel.",
        "Exporta las empresas de la selección a un archivo de Excel."),
    "SR_BATCH_REINDEX_DESC": (
        "Rebuilds the free-text search index for all companies and persons.",
        "Bygger søkeindeksen for fritekst på nytt for alle firmaer og personer.",
        "Baut den Volltext-Suchindex für alle Firmen und Personen neu auf.",
        "Bygger om fritextindexet för alla företag och personer.",
        "Genopbygger fritekstindekset for alle firmaer og personer.",
        "Bouwt de vrijetekstindex voor alle bedrijven en personen opnieuw op.",
        "Reconstruit l'index de texte intégral de toutes les sociétés et personnes.",
        "Reconstruye el índice de texto libre de todas las empresas y personas."),
    "SR_BATCH_PROGRESS_QUEUED": (
        "Waiting in queue", "Venter i kø", "Wartet in der Warteschlange",
        "Väntar i kö", "Venter i kø", "Wacht in de wachtrij",
        "En attente dans la file", "En espera en la cola"),
    "SR_BATCH_PROGRESS_STARTING": (
        "Starting", "Starter", "Wird gestartet", "Startar", "Starter",
        "Wordt gestart", "Démarrage", "Iniciando"),
    "SR_BATCH_PROGRESS_RUNNING": (
        "Processing records", "Behandler poster", "Datensätze werden verarbeitet",
        "Bearbetar poster", "Behandler poster", "Records worden verwerkt",
        "Traitement des enregistrements", "Procesando registros"),
    "SR_BATCH_PROGRESS_DONE": (
        "Completed", "Fullført", "Abgeschlossen", "Slutförd", "Fuldført",
        "Voltooid", "Terminé", "Completado"),
    "SR_BATCH_PROGRESS_FAILED": (
        "Stopped with an error", "Stoppet med feil", "Mit Fehler abgebrochen",
        "Stoppade med fel", "Stoppet med fejl", "Gestopt met een fout",
        "Arrêté avec une erreur", "Detenido con un error"),
    "SR_BATCH_PROGRESS_CLEANUP": (
        "Waiting for manual cleanup", "Venter på manuell opprydding",
        "Wartet auf manuelle Bereinigung", "Väntar på manuell rensning",
        "Venter på manuel oprydning", "Wacht op handmatige opschoning",
        "En attente de nettoyage manuel", "Esperando limpieza manual"),
    "SR_BATCH_UNKNOWN_STATE": (
        "State unknown", "Ukjent status", "Status unbekannt", "Okänd status",
        "Ukendt status", "Status onbekend", "État inconnu", "Estado desconocido"),
}

# A few extra languages for some ids (IT, FI, PL, CZ).
EXTRA = {
    "SR_BATCH_EXPORT": {"IT": "Esportazione", "FI": "Vienti", "PL": "Eksport",
                        "CZ": "Export"},
    "SR_BATCH_IMPORT": {"IT": "Importazione", "FI": "Tuonti", "PL": "Import",
                        "CZ": "Import"},
    "SR_BATCH_PROGRESS_DONE": {"IT": "Completato", "FI": "Valmis",
                               "PL": "Zakończono", "CZ": "Dokončeno"},
    "SR_BATCH_PROGRESS_RUNNING": {"IT": "Elaborazione dei record",
                                  "FI": "Käsitellään tietueita"},
}


def build_resources():
    out = []
    for rid in sorted(RESOURCES):
        texts = RESOURCES[rid]
        assert len(texts) == len(LANGS), rid
        for lang, text in zip(LANGS, texts):
            out.append({"Id": rid, "Language": lang, "Text": text})
        for lang, text in sorted(EXTRA.get(rid, {}).items()):
            out.append({"Id": rid, "Language": lang, "Text": text})
    return out


def ml(**kw):
    """A SuperOffice multi-language value: US:"..";NO:"..";..."""
    return ";".join('%s:"%s"' % (k, v) for k, v in kw.items())


# --------------------------------------------------------------------------
# Batch tasks.

STATES = ("Unknown", "New", "Aquired", "Started", "Succeeded", "Failed",
          "SucceededManualCleanup")

PROGRESS_SR = {
    "Unknown": "[SR_BATCH_UNKNOWN_STATE]",
    "New": "[SR_BATCH_PROGRESS_QUEUED]",
    "Aquired": "[SR_BATCH_PROGRESS_STARTING]",
    "Started": "[SR_BATCH_PROGRESS_RUNNING]",
    "Succeeded": "[SR_BATCH_PROGRESS_DONE]",
    "Failed": "[SR_BATCH_PROGRESS_FAILED]",
    "SucceededManualCleanup": "[SR_BATCH_PROGRESS_CLEANUP]",
}

PROGRESS_ML = {
    "Unknown": ml(US="State unknown", NO="Ukjent status", GE="Status unbekannt"),
    "New": ml(US="Queued", NO="I kø", GE="In der Warteschlange",
              SW="I kö", DA="I kø", FR="En file d'attente"),
    "Aquired": ml(US="Picked up by the batch service", NO="Hentet av batchtjenesten",
                  GE="Vom Batchdienst übernommen", SW="Hämtad av batchtjänsten"),
    "Started": ml(US="Working", NO="Arbeider", GE="In Bearbeitung", SW="Arbetar",
                  DA="Arbejder", FR="En cours", SP="En curso"),
    "Succeeded": ml(US="Done", NO="Ferdig", GE="Fertig", SW="Klar", DA="Færdig",
                    NL="Klaar", FR="Fini", SP="Hecho"),
    "Failed": ml(US="Failed", NO="Feilet", GE="Fehlgeschlagen", SW="Misslyckades",
                 DA="Mislykkedes", FR="Échoué"),
    "SucceededManualCleanup": ml(NO="Ferdig, rydd opp manuelt",
                                 US="Done, clean up manually",
                                 GE="Fertig, manuell aufräumen"),
}

FAIL_RESULTS = [
    "SoException: Timeout expired. The timeout period elapsed prior to completion of the operation.",
    "System.IO.IOException: The process cannot access the file because it is being used by another process.",
    "SoNotFoundException: Selection 4711 not found",
    "SMTP 554 5.7.1 Message rejected",
    "SqlException: Transaction (Process ID 63) was deadlocked on lock resources",
]

# kind -> (names, description choices, user task?, extra)
KINDS = {
    "export": dict(
        names=["Mailing export", "[SR_BATCH_EXPORT]",
               ml(US="Export contacts", NO="Eksporter kontakter",
                  GE="Kontakte exportieren", SW="Exportera kontakter",
                  DA="Eksporter kontakter", NL="Contacten exporteren",
                  FR="Exporter les contacts", SP="Exportar contactos"),
               "Sale pipeline export", "Project member export"],
        descs=["[SR_BATCH_EXPORT_CONTACTS_DESC]",
               "Exports the selection to Excel",
               ml(US="Quarterly export for the board", NO="Kvartalsvis eksport til styret",
                  GE="Quartalsexport für den Vorstand")],
        context="Export:Selection", table=23, cancel=["CanCancel"],
        params=lambda: {"SelectionId": str(RNG.randrange(10, 900)),
                        "Format": RNG.choice(["xlsx", "csv"]),
                        "IncludePersons": RNG.choice(["true", "false"])},
        file=True),
    "import": dict(
        names=["Document archive import", "[SR_BATCH_DOCUMENT_ARCHIVE_IMPORT]",
               "Import persons from CSV", "[SR_BATCH_IMPORT]",
               ml(US="Import companies", NO="Importer firmaer",
                  GE="Firmen importieren", SW="Importera företag",
                  DA="Importer firmaer", FR="Importer des sociétés")],
        descs=["Imports files from the document archive share",
               ml(US="Import from the trade fair", NO="Import fra messen",
                  GE="Import von der Messe", FR="Import du salon"),
               None],
        context="Import", table=9, cancel=["CanCancel", "CancelWithWarning"],
        params=lambda: {"SourceFile": RNG.choice(["leads-fair.csv", "persons.csv",
                                                  "archive-2023.zip"]),
                        "Delimiter": ";", "Encoding": "utf-8"},
        file=False),
    "mailing": dict(
        names=["[SR_BATCH_MAILING]", "Newsletter send-out",
               ml(US="Customer newsletter", NO="Kundeavis", GE="Kundennewsletter",
                  SW="Kundnyhetsbrev", DA="Kundenyhedsbrev", NL="Klantnieuwsbrief",
                  FR="Lettre d'information clients", SP="Boletín de clientes")],
        descs=["Monthly newsletter to all active customers",
               ml(US="Invitation to the spring seminar", NO="Invitasjon til vårseminaret",
                  SW="Inbjudan till vårseminariet", DA="Invitation til forårsseminaret"),
               None],
        context="Mailing", table=320, cancel=["CancelWithWarning"],
        params=lambda: {"ShipmentId": str(RNG.randrange(100, 999)),
                        "Channel": RNG.choice(["Email", "Sms"])},
        file=False),
    "selection": dict(
        names=["Selection recalc", "[SR_BATCH_SELECTION_RECALC]",
               ml(US="Recalculate dynamic selection", NO="Beregn dynamisk utvalg",
                  GE="Dynamische Auswahl berechnen", SW="Beräkna dynamiskt urval")],
        descs=["Recalculates the members of a dynamic selection", None, ""],
        context="Selection", table=23, cancel=["CanCancel"],
        params=lambda: {"SelectionId": str(RNG.randrange(10, 900))},
        file=False),
    "report": dict(
        names=["Project report", "Quote PDF generation", "Duplicate contact check",
               "Mass update persons"],
        descs=["Weekly status report for all open projects",
               "Generates quote documents for approval",
               None],
        context=None, table=0, cancel=["CanCancel", "CannotCancel"],
        params=lambda: RNG.choice([None, {}, {"ProjectId": str(RNG.randrange(1, 400))}]),
        file=True),
}

SYSTEM_KINDS = {
    "reindex": dict(
        names=["Free-text reindex", "[SR_BATCH_REINDEX]"],
        descs=["[SR_BATCH_REINDEX_DESC]", "Nightly free-text index rebuild"],
        context="FreeText", cancel=["CannotCancel"]),
    "travel": dict(
        names=["Travel transfer", "Dashboard tile refresh",
               "Delete expired temporary files", "Quote connector sync",
               ml(US="Anonymize inactive persons", NO="Anonymiser inaktive personer",
                  GE="Inaktive Personen anonymisieren")],
        descs=["Scheduled maintenance", None,
               ml(US="GDPR retention policy", NO="Sletteregler for personvern",
                  GE="DSGVO-Aufbewahrungsregel")],
        context="Scheduler", cancel=["CannotCancel", "CanCancel"]),
}

HOSTILE = [
    'Export of <Company> & "Partners" \'Ltd\' ]]> done 🚀',
    'Kunde "Müller & Söhne" <GmbH>\nZeile 2: a < b && c > d ]]]]><![CDATA[ 🐛',
    "Tab\tseparated & <script>alert('x')</script> — ½ ✓",
]

EU_DST = [  # instants right around the EU switches
    ticks(2024, 3, 31, 0, 59, 59, 9999999), ticks(2024, 3, 31, 1, 0, 0),
    ticks(2024, 10, 27, 0, 30, 0), ticks(2024, 10, 27, 1, 30, 0),
    ticks(2019, 10, 27, 0, 59, 59), ticks(2025, 3, 30, 1, 15, 0, 5000000),
    ticks(2023, 10, 29, 0, 45, 0, 1234567),
]
US_DST = [  # instants right around the US switches
    ticks(2024, 3, 10, 6, 59, 59, 9999999), ticks(2024, 3, 10, 7, 0, 0),
    ticks(2024, 11, 3, 5, 30, 0), ticks(2024, 11, 3, 6, 30, 0),
    ticks(2025, 11, 2, 5, 59, 59), ticks(2020, 3, 8, 7, 0, 0, 10000),
]

LO = ticks(2019, 1, 1)
HI = ticks(2026, 6, 30)


def progress(state):
    if state in ("Succeeded", "SucceededManualCleanup"):
        return 100
    if state == "Started":
        return RNG.randrange(1, 100)
    if state == "Failed":
        return RNG.randrange(0, 100)
    return 0


def start_count(state):
    if state in ("New",):
        return 0
    if state in ("Unknown", "Aquired"):
        return RNG.choice([0, 0, 1])
    if state == "Failed":
        return RNG.randrange(1, 6)
    return RNG.randrange(1, 40)


def text_variant(state):
    r = RNG.random()
    if r < 0.35:
        return PROGRESS_SR[state]
    if r < 0.6:
        return PROGRESS_ML[state]
    if r < 0.8:
        return {"Unknown": None, "New": "Queued", "Aquired": "Acquired by worker 2",
                "Started": "Step %d of 5" % RNG.randrange(1, 6),
                "Succeeded": "Finished", "Failed": "Aborted",
                "SucceededManualCleanup": "Finished; temporary tables kept"}[state]
    return None if RNG.random() < 0.5 else ""


def make_task(owner, state, system, kind, when=None):
    """One task (without Id); when = a LastStarted instant to use."""
    spec = (SYSTEM_KINDS if system else KINDS)[kind]
    precision = RNG.choice(["tick", "tick", "tick", "ms", "s"])
    if when is None:
        created = rand_instant(LO, HI - 30 * TICKS_PER_DAY, precision)
        gap = rand_instant(0, RNG.choice([600, 86_400, 20 * 86_400]) * TICKS_PER_SECOND,
                           precision)
        last = created + gap
    else:
        last = when
        gap = rand_instant(60 * TICKS_PER_SECOND, 3 * TICKS_PER_DAY, precision)
        created = last - gap
    if state == "New":
        last = created
    tenant = TENANT_OF.get(owner)
    t = {}
    t["Id"] = None
    t["Name"] = RNG.choice(spec["names"])
    t["AssociateId"] = 0 if system else owner
    if system or spec.get("table", 0) == 0 or RNG.random() < 0.3:
        t["DetailsTable"], t["DetailsRecord"] = 0, 0
    else:
        t["DetailsTable"], t["DetailsRecord"] = 191, RNG.randrange(1, 60000)
    t["IsSystemTask"] = system
    t["IsInternalTask"] = system and RNG.random() < 0.5
    if system:
        t["ParameterObject"] = RNG.choice([None, {}, {"Schedule": "0 2 * * *"}])
    else:
        t["ParameterObject"] = spec["params"]() if RNG.random() < 0.75 else RNG.choice([None, {}])
    t["LastStarted"] = spell(last)
    t["Created"] = spell(created)
    t["StartCount"] = start_count(state)
    t["DatabaseSerialNumber"] = TENANT_SERIAL.get(tenant, ONSITE_SERIAL)
    t["Context"] = spec.get("context")
    if state == "Succeeded":
        t["Result"] = RNG.choice(["OK", "OK: %d rows" % RNG.randrange(1, 20000), ""])
    elif state == "SucceededManualCleanup":
        t["Result"] = "OK; cleanup pending"
    elif state == "Failed":
        t["Result"] = RNG.choice(FAIL_RESULTS)
    else:
        t["Result"] = None
    t["State"] = state
    t["Description"] = RNG.choice(spec["descs"])
    if state in ("Succeeded", "SucceededManualCleanup"):
        t["Response"] = '{"RowCount":%d,"Warnings":0}' % RNG.randrange(0, 20000)
    elif state == "Failed":
        t["Response"] = '{"ErrorCode":%d}' % RNG.randrange(1, 9)
    else:
        t["Response"] = None
    t["Request"] = None if RNG.random() < 0.4 else '{"Culture":"%s"}' % RNG.choice(
        ["nb-NO", "en-US", "de-DE", "sv-SE", "da-DK", "fr-FR"])
    t["ProgressDescription"] = text_variant(state)
    t["ProgressPercent"] = progress(state)
    if not system and spec.get("file") and state in ("Succeeded", "SucceededManualCleanup",
                                                      "Started", "Failed"):
        stamp = t["Created"][:10]
        t["FileName"] = RNG.choice(["contacts-%s.xlsx", "export_%s.csv",
                                    "Rapport %s.pdf"]) % stamp
    else:
        t["FileName"] = RNG.choice([None, ""]) if RNG.random() < 0.8 else None
    t["CancellationBehaviour"] = RNG.choice(spec["cancel"])
    t["TableRight"] = None
    t["FieldProperties"] = {}
    return t, created


def build_tasks():
    user_ids = [a[0] for a in ASSOCIATES]
    onsite = [a[0] for a in ASSOCIATES if not a[4]]
    t1 = [a[0] for a in ASSOCIATES if a[4] == "Cust12345"]
    t2 = [a[0] for a in ASSOCIATES if a[4] == "Cust54321"]
    plan = []  # (owner, state, system, kind, when)
    kinds = list(KINDS)
    # Every state: tje0 (53), another onsite user, each tenant, a system task.
    for st in STATES:
        plan.append((53, st, False, RNG.choice(kinds), None))
        plan.append((RNG.choice(onsite[1:]), st, False, RNG.choice(kinds), None))
        plan.append((RNG.choice(t1), st, False, RNG.choice(kinds), None))
        plan.append((RNG.choice(t2), st, False, RNG.choice(kinds), None))
        plan.append((0, st, True, RNG.choice(list(SYSTEM_KINDS)), None))
    # DST-edge LastStarted instants, user tasks of all tenants.
    for i, when in enumerate(EU_DST + US_DST):
        owner = (53, 21, 31, 11, 22, 32, 12)[i % 7]
        st = ("Succeeded", "Failed", "Started", "SucceededManualCleanup")[i % 4]
        plan.append((owner, st, False, RNG.choice(kinds), when))
    # Fill up with a realistic mix (mostly succeeded).
    weights = {"Unknown": 1, "New": 3, "Aquired": 2, "Started": 3,
               "Succeeded": 10, "Failed": 4, "SucceededManualCleanup": 2}
    pool = [s for s, w in weights.items() for _ in range(w)]
    while len(plan) < 96:
        if RNG.random() < 0.12:
            plan.append((0, RNG.choice(pool), True, RNG.choice(list(SYSTEM_KINDS)), None))
        else:
            plan.append((RNG.choice(user_ids), RNG.choice(pool), False,
                         RNG.choice(kinds), None))
    # One task whose owner is not in the fixtures: it is in the default tenant.
    plan.append((77, "Succeeded", False, "export", None))

    made = [make_task(*p) for p in plan]
    made.sort(key=lambda x: x[1])  # Ids follow creation time
    tasks = []
    next_id = 101
    for t, _created in made:
        t["Id"] = next_id
        next_id += RNG.choice([1, 1, 1, 2, 3])  # some gaps: missing ids
        tasks.append(t)

    # Hostile strings for the renderers (user tasks of 53, 21 and 31).
    def first(owner):
        return next(t for t in tasks if t["AssociateId"] == owner
                    and t["State"] not in ("New",) and not t["IsSystemTask"]
                    and t["Description"] is not None)
    for owner, text in zip((53, 21, 31), HOSTILE):
        t = first(owner)
        t["Description"] = text
    hostile_task = next(t for t in tasks if t["AssociateId"] == 53
                        and t["ParameterObject"])
    hostile_task["ParameterObject"]["Filter"] = "name LIKE '%&%' AND x < 5 ]]>"

    # A few carriers with TableRight / FieldProperties like real sentry output.
    decorated = [t for t in tasks if not t["IsSystemTask"]][5::17]
    for i, t in enumerate(decorated):
        t["TableRight"] = {"Mask": "FULL", "Reason": ""}
        if i % 2 == 0:
            t["FieldProperties"] = {
                "Name": {"FieldRight": {"Mask": "Read", "Reason": ""},
                         "FieldType": "System.String", "FieldLength": 255},
                "ProgressPercent": {"FieldRight": None, "FieldType": "System.Int32",
                                    "FieldLength": 4},
            }
        else:
            t["FieldProperties"] = {
                "Description": {"FieldRight": {"Mask": "Update, UIHintMandatory",
                                               "Reason": "[SR_MANDATORY_FIELD_2817]"},
                                "FieldType": "System.String", "FieldLength": 2000},
            }
    return tasks


FIELD_ORDER = [
    "Id", "Name", "AssociateId", "DetailsTable", "DetailsRecord", "IsSystemTask",
    "IsInternalTask", "ParameterObject", "LastStarted", "Created", "StartCount",
    "DatabaseSerialNumber", "Context", "Result", "State", "Description",
    "Response", "Request", "ProgressDescription", "ProgressPercent", "FileName",
    "CancellationBehaviour", "TableRight", "FieldProperties",
]


def build():
    associates, tickets, tokens, sessions, apps = build_credentials()
    resources = build_resources()
    tasks = build_tasks()
    for t in tasks:
        assert list(t) == FIELD_ORDER, list(t)
    states = {t["State"] for t in tasks if not t["IsSystemTask"]}
    assert states == set(STATES), states
    return {
        "associates": associates,
        "tickets": tickets,
        "tokens": tokens,
        "sessions": sessions,
        "apps": apps,
        "resources": resources,
        "batchTasks": tasks,
    }


def render():
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    default = os.path.join(root, "fixtures", "demo.json")
    text = render()
    if len(argv) > 1 and argv[1] == "--check":
        path = argv[2] if len(argv) > 2 else default
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                sys.stderr.write("%s is not gen-demo.py's output; rerun "
                                 "scripts/gen-demo.py\n" % path)
                return 1
        return 0
    path = argv[1] if len(argv) > 1 else default
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
