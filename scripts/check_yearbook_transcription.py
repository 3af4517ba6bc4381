"""Cross-check our transcription of NBS yearbook table 10-5 against the images, glyph by glyph.

A maintainer's check, run by hand after changing ``OUR_TRANSCRIPTION`` in ``scripts/compile_raw_data.py`` (it
needs ``../shared/sources/yearbook_2024_2025/``).  It finds the 32 text lines of each image, cuts each line into its
four cells and each cell into glyphs, and checks that

- every cell has as many glyphs as our value has characters, with '.' and '-' where our value has them;
- every digit glyph looks most like glyphs that we read as the same digit elsewhere in the two images
  (leave-one-out nearest neighbour on the grey pixels).

A glyph that looks more like another digit is printed as SUSPECT: look at that cell again (enlarge it) and
record what you see in ``TRANSCRIPTION_NOTES``; the script fails while a suspect cell has no note.  The
national row is set in bold, so its glyphs can be flagged without being misread.

Usage:  python scripts/check_yearbook_transcription.py [SOURCES_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compile_raw_data as compiled  # noqa: E402

X0 = 85  # first pixel column right of the region names
PATCH = (14, 9)  # rows, columns of the grey patch compared per glyph


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Start and stop of every run of True in a 1-d mask."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return list(zip(edges[::2], edges[1::2], strict=True))


def glyphs_of(
    year: int, image: Path, lines: list[list[str]], problems: list[str]
) -> list[tuple[str, str, np.ndarray, tuple]]:
    """(where, digit, grey patch, cell key) for every digit glyph of one image."""
    grey = np.asarray(Image.open(image).convert("L")).astype(float)
    dark = grey < 140
    width = dark.shape[1] - X0
    bands = [
        (a, b)
        for a, b in _runs(dark[:, X0:].any(1))
        if 5 <= b - a <= 16 and dark[a:b, X0:].sum() < 0.5 * (b - a) * width
    ][-len(lines) :]
    out = []
    # bands are the last len(lines) found: fewer when the image has fewer rows; only those are compared, as before
    for (a, b), cells in zip(bands, lines, strict=False):
        region, values = cells[0], cells[1:]
        band = dark[a - 1 : b + 1, X0:]
        comps = [(xa, xb) for xa, xb in _runs(band.any(0))]
        groups: list[list[tuple[int, int]]] = [[comps[0]]]
        for c in comps[1:]:
            (groups[-1].append(c) if c[0] - groups[-1][-1][1] <= 8 else groups.append([c]))
        if len(groups) != len(values):
            problems.append(f"{image.name} {region}: {len(groups)} cells found, {len(values)} transcribed")
            continue
        for col, (group, value) in enumerate(zip(groups, values, strict=True)):
            where = f"{image.name} {region} column {col + 1} ({value})"
            chars = list(value)
            if len(group) == len(chars) - 1 and chars[0] == "-":
                # the minus touches the first digit: strip the leading columns whose ink spans at most 2 rows
                xa, xb = group[0]
                k = 0
                while k < xb - xa and np.ptp(np.flatnonzero(band[:, xa + k])) <= 1:
                    k += 1
                group, chars = [(xa + k, xb)] + group[1:], chars[1:]
            if len(group) != len(chars):
                problems.append(f"{where}: {len(group)} glyphs for {len(chars)} characters")
                continue
            for (xa, xb), ch in zip(group, chars, strict=True):
                rows = np.flatnonzero(band[:, xa:xb].any(1))
                tall = rows.max() - rows.min() + 1
                if ch in "-." and tall > 2:
                    problems.append(f"{where}: '{ch}' transcribed where the glyph is {tall} pixels tall")
                if ch not in "-." and tall <= 2:
                    problems.append(f"{where}: digit '{ch}' transcribed where the glyph is a dot or dash")
                if ch.isdigit():
                    patch = np.full(PATCH, 255.0)
                    sub = grey[a - 1 + rows.min() : a - 1 + rows.max() + 1, X0 + xa : X0 + xb][: PATCH[0], : PATCH[1]]
                    patch[: sub.shape[0], : sub.shape[1]] = sub
                    out.append((where, ch, patch, (year, region, compiled.YEARBOOK_COLUMNS[col][0])))
    return out


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else compiled.ROOT.parent / "shared" / "sources"
    problems: list[str] = []
    glyphs = []
    for year, name in compiled.YEARBOOK_IMAGES.items():
        glyphs += glyphs_of(year, src / "yearbook_2024_2025" / name, compiled._our_lines(year), problems)
    flat = np.stack([g[2].ravel() for g in glyphs])
    dist = ((flat[:, None, :] - flat[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    labels = np.array([g[1] for g in glyphs])
    noted = []
    for i, (where, ch, _, key) in enumerate(glyphs):
        j = int(dist[i].argmin())
        if labels[j] != ch:
            line = f"SUSPECT {where}: digit '{ch}' looks most like a '{labels[j]}' ({glyphs[j][0]})"
            note = compiled.TRANSCRIPTION_NOTES.get(key)
            (noted.append(f"{line}\n  noted: {note}") if note else problems.append(line))
    print(f"{len(glyphs)} digit glyphs checked in {len(compiled.YEARBOOK_IMAGES)} images")
    print("\n".join(noted + problems) if noted or problems else "every glyph agrees with our transcription")
    print(f"{len(problems)} problem(s) without a note in TRANSCRIPTION_NOTES")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
