"""The issuing benchmark's table rows: the ratio on each database, against 1.25 x, from the
median round; the floor it divides by counts the wording and QR code, as issuing does."""

from bench.documents_bare import bare_summary
from bench.documents_issue import report
from bench.table import FIGURES_ENV, read_figures


def _round(ratio: float, bare_ms: float = 30.0) -> dict:
    bare = bare_summary([(2.0, 12.0, bare_ms - 14.0)] * 4)
    return {
        "bare": bare,
        "issue_ms": ratio * bare["per_doc_ms"],
        "latency": {"mean_ms": 0, "p95_ms": 0},
        "ratio": ratio,
        "errors": [],
        "error_count": 0,
    }


def _result(database: str, ratios: list[float]) -> dict:
    rounds = [_round(r) for r in ratios]
    return {
        "database": database,
        "rounds": {
            "rounds": rounds,
            "median": sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2],
            "errors": [],
            "error_count": 0,
        },
        "parallel": {
            "n": 10,
            "workers": 2,
            "kind": "processes",
            "wall_s": 0.4,
            "docs_per_s": 25.0,
            "per_doc_ms": 40.0,
            "latency": {"mean_ms": 0, "p95_ms": 0},
            "errors": [],
            "error_count": 0,
        },
        "statements": 12,
        "gapless": True,
    }


def test_the_floor_is_wording_and_qr_plus_compile_plus_sign():
    summary = bare_summary([(2.0, 12.0, 16.0), (4.0, 14.0, 18.0)])
    assert summary["per_doc_ms"] == 33.0  # 3 + 13 + 17
    assert summary["compile"]["mean_ms"] == 13.0 and summary["sign"]["mean_ms"] == 17.0


def test_both_databases_get_a_ratio_row_against_1_25_from_the_median_round(tmp_path, monkeypatch):
    path = tmp_path / "figures.jsonl"
    monkeypatch.setenv(FIGURES_ENV, str(path))
    report(_result("SQLite", [1.4, 1.1, 1.2, 1.9, 1.15]))
    report(_result("PostgreSQL", [1.3, 1.26, 1.5]))

    ratios = {f.name: f for f in read_figures(str(path)) if f.unit == "x"}
    sqlite = ratios["issuing / bare compile + sign (SQLite)"]
    postgres = ratios["issuing / bare compile + sign (PostgreSQL)"]
    assert (sqlite.value, sqlite.target, sqlite.met) == (1.2, "<= 1.25 x", True)
    assert (postgres.value, postgres.target, postgres.met) == (1.3, "<= 1.25 x", False)
    assert "bare 30.0 ms" in sqlite.baseline and "median of 5 rounds" in sqlite.baseline
