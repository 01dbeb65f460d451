"""The benchmark table: figures reach the parent through the file, missed targets show."""

from bench.table import FIGURES_ENV, figure, read_figures, render


def test_figures_reach_the_table_through_the_file(tmp_path, monkeypatch):
    path = tmp_path / "figures.jsonl"
    monkeypatch.setenv(FIGURES_ENV, str(path))
    figure(
        "declarations",
        "declaration / bare insert",
        0.19,
        "x",
        target=">= 0.5 x",
        baseline="bare insert 931/s",
        met=False,
    )
    figure("api", "case list", 31.7, "/s")

    figures = read_figures(str(path))
    table = render(figures)

    assert [f.name for f in figures] == ["declaration / bare insert", "case list"]
    lines = table.splitlines()
    assert lines[0].split() == [
        "suite",
        "figure",
        "value",
        "target",
        "baseline",
        "(same",
        "run)",
        "met",
    ]
    assert "0.19 x" in lines[2] and ">= 0.5 x" in lines[2] and lines[2].endswith("NO")
    assert "31.7/s" in lines[3] and lines[3].endswith("-")


def test_a_suite_run_alone_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.delenv(FIGURES_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    figure("api", "case list", 1, "/s")
    assert list(tmp_path.iterdir()) == []
    assert read_figures(str(tmp_path / "none.jsonl")) == []
