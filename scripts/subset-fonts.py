#!/usr/bin/env python3
"""Cuts the Arabic fonts down to what the portal shows and people type, into public/fonts.

Sources: style/fonts/*.woff2 (Noto Sans Arabic, OFL). Kept: the Arabic block (letters,
Arabic-Indic digits, diacritics, Arabic punctuation), joiners and marks used in shaping, the
dotted circle; every OpenType layout feature, so joining, ligatures (lam-alef) and mark
placement are unchanged. Dropped: the presentation-form code points (U+FB50–FDFF,
U+FE70–FEFF; text is typed in the basic block and shaped by the font), Arabic Extended and
Supplement, and hinting. Latin text uses the system font (see unicode-range in main.css).

Usage: .tools/py/bin/python scripts/subset-fonts.py   (needs fonttools and brotli from PyPI)
"""
import os
import sys

from fontTools import subset

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNICODES = "U+0600-06FF,U+200C-200F,U+25CC"


def main():
    for name in ("NotoSansArabic.woff2", "NotoSansArabic-Bold.woff2"):
        source = os.path.join(ROOT, "style", "fonts", name)
        target = os.path.join(ROOT, "public", "fonts", name)
        subset.main([
            source,
            f"--unicodes={UNICODES}",
            "--layout-features=*",
            "--flavor=woff2",
            "--no-hinting",
            "--desubroutinize",
            f"--output-file={target}",
        ])
        print(f"{name}: {os.path.getsize(source)} -> {os.path.getsize(target)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
