#!/usr/bin/env python3
"""Generate the time-zone location table (server/time/zones.h) for somock.

Usage: gen-zones.py [--tzdir DIR] TZLOCATIONS.TSV OUTPUT.c

Reads the hand-maintained SuperOffice codes from TZLOCATIONS.TSV and adds
every ISO 3166 country that has exactly one zone in tzdata's own
zone1970.tab and zone.tab, read from DIR (the build passes its tzdata_dir
option; without --tzdir, $TZDIR, else /usr/share/zoneinfo). Rows from the
tsv win over derived rows. Writes a C file with one static-storage table
sorted by code (byte order), as server/time/locations.c expects.

Python 3 standard library only. Exits 1 with a message on any error.
"""

import os
import re
import sys

CODE_RE = re.compile(r"^[A-Z][A-Z0-9-]{1,28}$")
IANA_RE = re.compile(r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")
ISO_RE = re.compile(r"^[A-Z]{2}$")


def die(msg):
    sys.stderr.write("gen-zones.py: error: %s\n" % msg)
    sys.exit(1)


def read_tab(path, required):
    """(country codes, zone) pairs of a zone.tab-style file, in file order."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        if required:
            die("cannot read '%s' (%s): install tzdata or set TZDIR to "
                "the directory holding zone1970.tab" % (path, e.strerror))
        return None
    out = []
    for no, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            die("%s:%d: expected at least 3 tab-separated columns" %
                (path, no))
        ccs = cols[0].split(",")
        for cc in ccs:
            if not ISO_RE.match(cc):
                die("%s:%d: bad country code '%s'" % (path, no, cc))
        if not IANA_RE.match(cols[2]):
            die("%s:%d: bad zone name '%s'" % (path, no, cols[2]))
        out.append((ccs, cols[2]))
    return out


def zones_by_country(rows):
    by = {}
    for ccs, zone in rows:
        for cc in ccs:
            by.setdefault(cc, []).append(zone)
    return by


def derive(tzdir):
    """{code: iana} for every country with exactly one zone."""
    z1970 = read_tab(os.path.join(tzdir, "zone1970.tab"), True)
    ztab = read_tab(os.path.join(tzdir, "zone.tab"), False)
    by1970 = zones_by_country(z1970)
    if ztab is None:
        # zone1970.tab alone: its zone may be shared by several countries
        # (Europe/Berlin for DE,DK,NO,SE,SJ) but still gives the right times.
        return {cc: zs[0] for cc, zs in by1970.items() if len(zs) == 1}
    bytab = zones_by_country(ztab)
    out = {}
    for cc, zs in bytab.items():
        # One zone in zone.tab (the country's own name for it, e.g.
        # Europe/Oslo), and at most one in zone1970.tab: a country that
        # zone1970.tab splits is not single-zone even if zone.tab lumps it.
        if len(zs) == 1 and len(by1970.get(cc, [])) <= 1:
            out[cc] = zs[0]
    return out


def read_tsv(path, tzdir):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        die("cannot read '%s': %s" % (path, e.strerror))
    rows = {}
    ids = {}
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5:
            die("%s:%d: expected 5 tab-separated columns, got %d" %
                (path, no, len(cols)))
        code, sid, iana, kind, _source = cols
        if not CODE_RE.match(code):
            die("%s:%d: bad code '%s'" % (path, no, code))
        if code in rows:
            die("%s:%d: duplicate code '%s'" % (path, no, code))
        if sid == "-":
            lid = 0
        elif re.match(r"^[1-9][0-9]{0,8}$", sid):
            lid = int(sid)
            if lid in ids:
                die("%s:%d: id %d already used by '%s'" %
                    (path, no, lid, ids[lid]))
            ids[lid] = code
        else:
            die("%s:%d: bad id '%s'" % (path, no, sid))
        if not IANA_RE.match(iana):
            die("%s:%d: bad zone name '%s'" % (path, no, iana))
        if not os.path.isfile(os.path.join(tzdir, iana)):
            die("%s:%d: zone '%s' not found under '%s'" %
                (path, no, iana, tzdir))
        if kind not in ("documented", "derived"):
            die("%s:%d: kind must be 'documented' or 'derived'" % (path, no))
        if lid and kind != "documented":
            die("%s:%d: only documented codes have ids" % (path, no))
        rows[code] = (lid, iana, kind == "documented")
    return rows


def main():
    args = sys.argv[1:]
    tzdir = os.environ.get("TZDIR") or "/usr/share/zoneinfo"
    if len(args) == 4 and args[0] == "--tzdir":
        tzdir = args[1]
        args = args[2:]
    if len(args) != 2:
        die("usage: gen-zones.py [--tzdir DIR] TZLOCATIONS.TSV OUTPUT.c")
    tsv, outpath = args
    single = derive(tzdir)
    rows = read_tsv(tsv, tzdir)
    derived = 0
    for cc, iana in single.items():
        if cc not in rows:
            rows[cc] = (0, iana, False)
            derived += 1
    codes = sorted(rows, key=lambda c: c.encode("ascii"))
    out = [
        "/* Generated by scripts/gen-zones.py from %s and tzdata's\n"
        " * zone1970.tab/zone.tab. Do not edit. */\n" % os.path.basename(tsv),
        '#include "zones.h"\n\n',
        "/* %d rows: %d from the tsv, %d single-zone countries. */\n" %
        (len(codes), len(codes) - derived, derived),
        "const struct zones_row zones_rows[] = {\n",
    ]
    for code in codes:
        lid, iana, documented = rows[code]
        out.append('\t{ "%s", "%s", %d, %s },\n' %
                   (code, iana, lid, "true" if documented else "false"))
    out.append("};\n\n")
    out.append("const size_t zones_count = sizeof(zones_rows) / "
               "sizeof(zones_rows[0]);\n")
    tmp = outpath + ".tmp"
    try:
        with open(tmp, "w", encoding="ascii") as f:
            f.write("".join(out))
        os.replace(tmp, outpath)
    except OSError as e:
        die("cannot write '%s': %s" % (outpath, e.strerror))


if __name__ == "__main__":
    main()
