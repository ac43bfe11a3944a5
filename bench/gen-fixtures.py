#!/usr/bin/env python3
"""Generate the benchmark fixtures for bench/run.

    python3 bench/gen-fixtures.py OUTDIR     (bench/run: bench/work/fixtures)

Writes OUTDIR/00-bench.json (every associate, credential and resource, and
the tasks of the benchmark tenants) and OUTDIR/10-others-K.json (the tasks of
the other tenants, in chunks). Loaded in that order by `somock init-db`, they
make a database of exactly 100 000 batch tasks:

  Cust10001 (logins bench/Bench-1 .. bench4/Bench-4), user tasks:
      Failed                        1      -> the N=1 case
      Started                     100      -> the N=100 case
      Succeeded                10 000      -> the N=10 000 case
      New, Aquired, Unknown,
      SucceededManualCleanup      100 each -> the rotating mix (N=100 each)
    plus 2 000 system tasks owned by bench (excluded from every list)
  default tenant (onsite login bench0/Bench-0):
      New, Aquired, Started, Unknown, SucceededManualCleanup  100 each
    plus 3 000 system tasks with AssociateId 0
  Cust10002 .. Cust10041 (two associates each): the remaining 83 999 tasks,
    random states, a few system tasks among them

Ids 1..100 000 are dealt out by a seeded shuffle, so a tenant's rows are
scattered over the whole table as in a real database (the scope index, not
the row order, must make the list query cheap).

Every user task of Cust10001 renders to exactly 777 bytes of compact JSON
(the untranslated answer, dates in UTC), so GET .../BatchTask/Failed is a
779-byte body, the size the performance targets are set for. Texts mix
plain strings, [SR_...] references (resources in eight languages) and
multi-language values (US:"...";NO:"...") so the translated case does real
work.

Standard library only; one seeded random.Random: the output is
byte-identical on every run.
"""

import json
import os
import random
import sys

SEED = 5
TOTAL = 100_000
CARRIER_BYTES = 777

TICKS_PER_SECOND = 10_000_000
EPOCH_TICKS = 621355968000000000  # 1970-01-01T00:00:00Z
T2019 = 1546300800                # 2019-01-01T00:00:00Z, Unix seconds
T2026 = 1767225600                # 2026-01-01T00:00:00Z

STATES = ["Unknown", "New", "Aquired", "Started", "Succeeded", "Failed",
          "SucceededManualCleanup"]
MIX_STATES = ["New", "Aquired", "Started", "Unknown", "SucceededManualCleanup"]
LANGS = ["US", "NO", "GE", "SW", "DA", "NL", "FR", "SP"]

BENCH_TENANT = "Cust10001"
OTHER_TENANTS = [f"Cust{10002 + i}" for i in range(40)]

# (resource id, texts in LANGS order)
KINDS = [
    ("SR_BATCH_EXPORT_CONTACTS", ["Export contacts", "Eksporter kontakter",
     "Kontakte exportieren", "Exportera kontakter", "Eksporter kontakter",
     "Contacten exporteren", "Exporter les contacts", "Exportar contactos"]),
    ("SR_BATCH_SELECTION_RECALC", ["Recalculate selection",
     "Beregn utvalg på nytt", "Auswahl neu berechnen", "Beräkna urval igen",
     "Genberegn udvalg", "Selectie herberekenen", "Recalculer la sélection",
     "Recalcular selección"]),
    ("SR_BATCH_DOCUMENT_ARCHIVE_IMPORT", ["Document archive import",
     "Import av dokumentarkiv", "Dokumentarchiv importieren",
     "Import av dokumentarkiv", "Import af dokumentarkiv",
     "Documentarchief importeren", "Importation des archives",
     "Importar archivo de documentos"]),
    ("SR_BATCH_MAILING_SEND", ["Send mailing", "Send utsendelse",
     "Mailing versenden", "Skicka utskick", "Send udsendelse",
     "Mailing verzenden", "Envoyer le publipostage", "Enviar envío"]),
    ("SR_BATCH_QUOTE_APPROVAL", ["Quote approval documents",
     "Tilbudsdokumenter til godkjenning", "Angebotsdokumente zur Freigabe",
     "Offertdokument för godkännande", "Tilbudsdokumenter til godkendelse",
     "Offertedocumenten ter goedkeuring", "Documents de devis à approuver",
     "Documentos de presupuesto"]),
    ("SR_BATCH_ERP_SYNC", ["ERP synchronisation", "ERP-synkronisering",
     "ERP-Synchronisierung", "ERP-synkronisering", "ERP-synkronisering",
     "ERP-synchronisatie", "Synchronisation ERP", "Sincronización ERP"]),
]
PROGRESS = {
    "Unknown": ["Unknown", "Ukjent", "Unbekannt", "Okänd", "Ukendt",
                "Onbekend", "Inconnu", "Desconocido"],
    "New": ["Queued", "I kø", "In der Warteschlange", "I kö", "I kø",
            "In de wachtrij", "En attente", "En cola"],
    "Aquired": ["Picked up by an agent", "Hentet av en agent",
                "Von einem Agenten übernommen", "Hämtad av en agent",
                "Hentet af en agent", "Opgepakt door een agent",
                "Pris en charge par un agent", "Recogido por un agente"],
    "Started": ["Running", "Kjører", "Läuft", "Körs", "Kører", "Bezig",
                "En cours", "En ejecución"],
    "Succeeded": ["Finished", "Ferdig", "Fertig", "Klar", "Færdig",
                  "Voltooid", "Terminé", "Terminado"],
    "Failed": ["Failed", "Feilet", "Fehlgeschlagen", "Misslyckades",
               "Mislykkedes", "Mislukt", "Échoué", "Fallido"],
    "SucceededManualCleanup": ["Finished, clean up manually",
                               "Ferdig, rydd opp manuelt",
                               "Fertig, manuell aufräumen",
                               "Klar, städa manuellt", "Færdig, ryd op manuelt",
                               "Voltooid, handmatig opruimen",
                               "Terminé, nettoyage manuel",
                               "Terminado, limpieza manual"],
}
PERCENT = {"Unknown": 0, "New": 0, "Aquired": 0, "Started": 40,
           "Succeeded": 100, "Failed": 0, "SucceededManualCleanup": 100}
CONTEXTS = ["Selection", "Contact", "Sale", "Project", "Document", None]
CULTURES = ["nb-NO", "sv-SE", "de-DE", "en-US", "da-DK", "nl-NL", "fr-FR"]
FILLER = ("The agent processed the rows in batches of five hundred, wrote an "
          "audit entry for every changed record and kept the previous values "
          "so the change can be undone from the task list; warnings were "
          "collected for the owner to review before the next scheduled run. ")


WORD_STARTS = [0] + [i + 1 for i, c in enumerate(FILLER) if c == " "]


def iso(unix, frac):
    """UTC instant with a 7-digit fraction and Z (renders unchanged)."""
    days, rem = divmod(unix, 86400)
    # civil_from_days (Howard Hinnant)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    y = yoe + era * 400 + (m <= 2)
    h, rem = divmod(rem, 3600)
    mi, s = divmod(rem, 60)
    return f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{frac:07d}Z"


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def multi(texts):
    return ";".join(f'{lang}:"{t}"' for lang, t in zip(LANGS, texts))


def carrier(rng, tid, owner, state, system=False, size=CARRIER_BYTES):
    rid, texts = rng.choice(KINDS)
    style = rng.randrange(3)
    if style == 0:
        name = f"[{rid}]"
    elif style == 1:
        name = multi(texts[:rng.randint(2, 3)])
    else:
        name = texts[0]
    created = rng.randrange(T2019, T2026)
    started = created + rng.randrange(60, 30 * 86400)
    count = 0 if state in ("New", "Unknown") else rng.randint(1, 40)
    param = {"SelectionId": str(rng.randint(1, 9999)),
             "Culture": rng.choice(CULTURES)}
    if rng.random() < 0.5:
        param["Format"] = rng.choice(["csv", "xlsx", "xml"])
    progress = (f"[SR_BATCH_PROGRESS_{state.upper()}]" if rng.random() < 0.5
                else multi(PROGRESS[state][:rng.randint(2, 3)]))
    t = {
        "Id": tid,
        "Name": name,
        "AssociateId": owner,
        "DetailsTable": rng.choice([0, 5, 7, 13]),
        "DetailsRecord": rng.randint(0, 999999),
        "IsSystemTask": system,
        "IsInternalTask": system and rng.random() < 0.5,
        "ParameterObject": param,
        "LastStarted": iso(started, rng.randint(1, 9999999)),
        "Created": iso(created, rng.randint(1, 9999999)),
        "StartCount": count,
        "DatabaseSerialNumber": str(rng.randint(1000000000, 3999999999)),
        "Context": rng.choice(CONTEXTS),
        "Result": None,
        "State": state,
        "Description": f"[{rid}_DESC]" if rng.random() < 0.5 else
        f"{texts[0]}, scheduled by the owner",
        "Response": compact({"RowCount": rng.randint(0, 99999),
                             "Warnings": rng.randint(0, 9)}),
        "Request": compact({"Culture": param["Culture"],
                            "Priority": rng.choice(["Low", "Normal",
                                                    "High"])}),
        "ProgressDescription": progress,
        "ProgressPercent": PERCENT[state],
        "FileName": f"{rid.lower()[9:]}_{tid}.{param.get('Format', 'log')}",
        "CancellationBehaviour": rng.choice(["CanCancel", "CannotCancel",
                                             "CancelWithWarning"]),
        "TableRight": {"Mask": "FULL", "Reason": ""}
        if rng.random() < 0.3 else None,
        "FieldProperties": {} if rng.random() < 0.9 else
        {"Name": {"FieldRight": {"Mask": "Read", "Reason": ""},
                  "FieldType": "System.String", "FieldLength": 255}},
    }
    # Result carries the padding that makes the carrier CARRIER_BYTES long;
    # a carrier too long for that sheds optional detail first.
    t["Result"] = ""
    shrink = [("Request", None), ("Context", None), ("TableRight", None),
              ("FieldProperties", {})]
    while len(compact(t).encode()) > size and shrink:
        key, value = shrink.pop(0)
        t[key] = value
    room = size - len(compact(t).encode())
    if room < 0:
        return None
    off = rng.choice(WORD_STARTS)
    # FILLER is ASCII: characters are bytes
    t["Result"] = (FILLER * 3)[off:off + room].strip().ljust(room, ".")
    return t


def fitted(rng, tid, owner, state, system=False, exact=False):
    size = CARRIER_BYTES if exact else CARRIER_BYTES + rng.randint(0, 30)
    while True:
        t = carrier(rng, tid, owner, state, system, size)
        if t:
            return t


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-fixtures.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    bench = [(10001 + i, f"bench{'' if i == 0 else i + 1}", f"Bench-{i + 1}")
             for i in range(4)]
    associates = [{"AssociateId": 10000, "Name": "bench0",
                   "Password": "Bench-0", "FullName": "Bench Onsite"}]
    associates += [{"AssociateId": a, "Name": n, "Password": p,
                    "FullName": f"Bench User {a - 10000}",
                    "Tenant": BENCH_TENANT} for a, n, p in bench]
    others = []
    for i, tenant in enumerate(OTHER_TENANTS):
        for j in range(2):
            aid = 20000 + 2 * i + j
            others.append(aid)
            associates.append({"AssociateId": aid, "Name": f"user{aid}",
                               "Password": f"Pw-{aid}",
                               "FullName": f"Tenant User {aid}",
                               "Tenant": tenant})

    # (owner, state, system) for every task, then ids dealt by a shuffle
    slots = [(10001, "Failed", False)]
    slots += [(bench[k % 4][0], "Started", False) for k in range(100)]
    slots += [(bench[k % 4][0], "Succeeded", False) for k in range(10000)]
    for s in MIX_STATES:
        if s != "Started":
            slots += [(bench[k % 4][0], s, False) for k in range(100)]
    n_bench_user = len(slots)
    slots += [(10001, rng.choice(STATES), True) for _ in range(2000)]
    slots += [(10000, s, False) for s in MIX_STATES for _ in range(100)]
    slots += [(0, rng.choice(STATES), True) for _ in range(3000)]
    n_bench = len(slots)
    for _ in range(TOTAL - n_bench):
        slots.append((rng.choice(others), rng.choice(STATES),
                      rng.random() < 0.05))
    ids = list(range(1, TOTAL + 1))
    rng.shuffle(ids)

    tasks = []
    for k, ((owner, state, system), tid) in enumerate(zip(slots, ids)):
        tasks.append(fitted(rng, tid, owner, state, system, exact=k == 0))
    assert len(compact(tasks[0]).encode()) == CARRIER_BYTES

    resources = []
    for rid, texts in KINDS:
        for lang, text in zip(LANGS, texts):
            resources.append({"Id": rid, "Language": lang, "Text": text})
            resources.append({"Id": f"{rid}_DESC", "Language": lang,
                              "Text": f"{text} — {rid.lower()}"})
    for state, texts in PROGRESS.items():
        for lang, text in zip(LANGS, texts):
            resources.append({"Id": f"SR_BATCH_PROGRESS_{state.upper()}",
                              "Language": lang, "Text": text})

    head = {
        "associates": associates,
        "tickets": [{"Ticket": "7T:benchTicketForBench3000000000000000000000",
                     "AssociateId": 10003,
                     "Expires": "2099-12-31T23:59:59Z"}],
        "tokens": [{"Token": "8A:Cust10001.benchTokenForBench2xxxxxxxxxxxxxxxx",
                    "AssociateId": 10002, "Expires": None}],
        "sessions": [{"SessionId": "benchsession4aaaaaaaaaaa",
                      "XsrfToken": "benchxsrf4bbbbbbbbbbbbbbbbbbbbbb",
                      "AssociateId": 10004}],
        "apps": [{"Name": "somock bench",
                  "AppToken": "b3nchb3nchb3nchb3nchb3nchb3nch00"}],
        "resources": resources,
        "batchTasks": sorted(tasks[:n_bench], key=lambda t: t["Id"]),
    }
    files = {"00-bench.json": head}
    rest = tasks[n_bench:]
    chunk = 21_000
    for k in range(0, len(rest), chunk):
        files[f"10-others-{k // chunk}.json"] = {
            "batchTasks": sorted(rest[k:k + chunk], key=lambda t: t["Id"])}
    for name in os.listdir(out):
        if name.endswith(".json") and name not in files:
            os.remove(os.path.join(out, name))
    for name, doc in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, ensure_ascii=False, indent=0,
                               separators=(",", ":")))
            f.write("\n")
    print(f"{TOTAL} tasks: {n_bench_user} Cust10001 user tasks, "
          f"{n_bench - n_bench_user} bench system/onsite tasks, "
          f"{len(rest)} in {len(OTHER_TENANTS)} other tenants; "
          f"{len(files)} files in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
