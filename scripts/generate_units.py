#!/usr/bin/env python3
"""Generate the administrative unit files in units/data/ from `vietnam-provinces`.

The codes and names are those of the General Statistics Office of Viet Nam (GSO),
as packaged by Nguyễn Hồng Quân in `vietnam-provinces` (GPL-3.0). The package is
never imported by the project: this script installs each pinned version into a
throwaway virtual environment, reads its data there, and writes plain CSV files.

    python3 scripts/generate_units.py            # writes units/data/gso-*.csv
    python3 scripts/generate_units.py --out-dir /tmp/x

Needs only Python >= 3.10 with `venv` and network access to PyPI (or a pip
configured mirror). Standard library only.

Output columns: code,level,parent_code,name,short_name
  - level: province | district | commune
  - code: GSO code, zero-padded (province 2 digits, district 3, commune 5)
  - parent_code: code of the enclosing unit ("" for provinces)
  - name: full name with its type ("Tỉnh Tuyên Quang", "Xã Tràng Đà")
  - short_name: name without the type ("Tuyên Quang"); kept whole when the rest is
    only a number ("Quận 1", "Phường 12")
Rows are ordered by level (provinces, then districts, then communes), then by code,
so that every parent comes before its children.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import venv
from pathlib import Path

# (output file, pinned package version, expected structure)
SOURCES = [
    ("gso-2021.csv", "0.4.3", "three-level"),  # list in force 2021 - 30/6/2025
    ("gso-2025.csv", "2025.10.1", "two-level"),  # list in force since 1/7/2025
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO_ROOT / "units" / "data"

# Runs inside the throwaway venv. Both versions expose NESTED_DIVISIONS_JSON_PATH,
# the GSO list as nested JSON (province -> [districts ->] wards).
EXTRACT_SNIPPET = r"""
import json, sys
from importlib.metadata import version
import vietnam_provinces as vp
with open(vp.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
    data = json.load(f)
out = {
    "version": version("vietnam-provinces"),
    "data_version": getattr(vp, "__data_version__", None),
    "provinces": data,
}
sys.stdout.buffer.write(json.dumps(out, ensure_ascii=False).encode("utf-8"))
"""

# GSO division type -> canonical prefix of the full name.
TYPE_PREFIX = {
    "thành phố trung ương": "Thành phố",
    "tỉnh": "Tỉnh",
    "thành phố": "Thành phố",
    "quận": "Quận",
    "huyện": "Huyện",
    "thị xã": "Thị xã",
    "phường": "Phường",
    "thị trấn": "Thị trấn",
    "xã": "Xã",
    "đặc khu": "Đặc khu",
}

CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
FIELDS = ["code", "level", "parent_code", "name", "short_name"]


def extract(version: str, workdir: Path) -> dict:
    """Install vietnam-provinces==version in a fresh venv and return its data."""
    env_dir = workdir / f"venv-{version}"
    print(f"creating venv for vietnam-provinces=={version} ...", file=sys.stderr)
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run(
        [
            str(py),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"vietnam-provinces=={version}",
        ],
        check=True,
    )
    res = subprocess.run([str(py), "-c", EXTRACT_SNIPPET], check=True, capture_output=True)
    out = json.loads(res.stdout.decode("utf-8"))
    if out["version"] != version:
        raise SystemExit(f"asked for {version}, got {out['version']}")
    return out


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def names(raw_name: str, division_type: str) -> tuple[str, str]:
    """Return (full name with canonical type prefix, short name)."""
    prefix = TYPE_PREFIX[division_type]
    name = clean(raw_name)
    # The source sometimes capitalises the type ("Thị Trấn Mường Chà", "Thành Phố
    # Bắc Kạn") and the 2025 list omits "Tỉnh" ("Tuyên Quang").
    if name.casefold().startswith(prefix.casefold() + " "):
        rest = name[len(prefix) + 1 :].strip()
    else:
        rest = name
    full = f"{prefix} {rest}"
    short = full if re.fullmatch(r"[0-9]+", rest) else rest
    return full, short


def to_rows(provinces: list[dict], structure: str) -> list[dict]:
    rows = []

    def add(unit: dict, level: str, parent: str) -> str:
        code = f"{int(unit['code']):0{CODE_WIDTH[level]}d}"
        if len(code) != CODE_WIDTH[level]:
            raise SystemExit(f"code too long: {level} {code}")
        full, short = names(unit["name"], unit["division_type"])
        rows.append(
            {"code": code, "level": level, "parent_code": parent, "name": full, "short_name": short}
        )
        return code

    for p in provinces:
        pcode = add(p, "province", "")
        if structure == "three-level":
            if "wards" in p or not p.get("districts"):
                raise SystemExit(f"expected districts under province {pcode}")
            for d in p["districts"]:
                dcode = add(d, "district", pcode)
                for w in d.get("wards", []):
                    add(w, "commune", dcode)
        else:
            if "districts" in p or not p.get("wards"):
                raise SystemExit(f"expected wards directly under province {pcode}")
            for w in p["wards"]:
                add(w, "commune", pcode)

    seen = set()
    for r in rows:
        key = (r["level"], r["code"])
        if key in seen:
            raise SystemExit(f"duplicate code {key}")
        seen.add(key)
    rows.sort(key=lambda r: (LEVEL_ORDER[r["level"]], r["code"]))
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="gen-units-") as tmp:
        for filename, version, structure in SOURCES:
            out = extract(version, Path(tmp))
            rows = to_rows(out["provinces"], structure)
            path = args.out_dir / filename
            write_csv(path, rows)
            counts = {lvl: sum(r["level"] == lvl for r in rows) for lvl in CODE_WIDTH}
            print(
                f"{path}: vietnam-provinces {out['version']}"
                f" (data {out['data_version'] or 'n/a'}): {counts}",
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()
