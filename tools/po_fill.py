"""Fill Swedish msgstrs in a .po file from a Python dict file: python tools/po_fill.py PO DICT.py

DICT.py defines T = {msgid: msgstr or (singular, plural)}. Untouched entries keep what they had.
A developer convenience; the .po files are the source of truth.
"""

import runpy
import sys

import polib


def main(po_path: str, dict_path: str) -> None:
    table = runpy.run_path(dict_path)["T"]
    po = polib.pofile(po_path)
    for entry in po:
        if entry.msgid not in table:
            continue
        value = table[entry.msgid]
        if entry.msgid_plural:
            singular, plural = value if isinstance(value, tuple) else (value, value)
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    for msgid in missing:
        print("untranslated:", msgid[:90])


if __name__ == "__main__":
    main(*sys.argv[1:])
