"""Publishing a report set (shanxi_analysis.publish.staging): the atomic swap and the two-rename fallback."""

from __future__ import annotations

from pathlib import Path

from shanxi_analysis.publish import staging as publish


def _sets(tmp_path: Path) -> tuple[Path, Path]:
    target = tmp_path / "out" / "2019" / "hubei"
    target.mkdir(parents=True)
    (target / "a.html").write_text("old")
    (target / "gone.html").write_text("only in the old set")
    staging = tmp_path / "out" / ".staging" / "1-new"
    staging.mkdir(parents=True)
    (staging / "a.html").write_text("new")
    return staging, target


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_swaps_with_renameat2_where_the_kernel_has_it(tmp_path, monkeypatch):
    staging, target = _sets(tmp_path)
    calls = []
    real = publish.exchange

    def spy(a, b):
        calls.append(real(a, b))
        return calls[-1]

    monkeypatch.setattr(publish, "exchange", spy)
    publish.swap_in(staging, target)
    assert calls == [True]  # Linux: one atomic exchange, no rename of the target
    assert _tree(target) == {"a.html": "new"}
    assert not staging.exists()  # it held the previous set after the swap, and is removed


def test_publish_falls_back_to_two_renames_without_renameat2(tmp_path, monkeypatch):
    staging, target = _sets(tmp_path)
    renames = []
    real_rename = publish.os.rename

    def rename(src, dst):
        renames.append((Path(src).name, Path(dst).name))
        real_rename(src, dst)

    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    monkeypatch.setattr(publish.os, "rename", rename)
    publish.swap_in(staging, target)
    # the old set moves aside next to the staging folder, the new one takes its place, the old one is removed
    assert renames == [("hubei", "1-new.old"), ("1-new", "hubei")]
    assert _tree(target) == {"a.html": "new"}
    assert not staging.exists() and not staging.with_name("1-new.old").exists()


def test_publish_of_a_new_set_is_one_rename(tmp_path, monkeypatch):
    staging, target = _sets(tmp_path)
    fresh = target.with_name("shanxi")
    monkeypatch.setattr(publish, "exchange", lambda a, b: (_ for _ in ()).throw(AssertionError("no swap needed")))
    publish.swap_in(staging, fresh)
    assert _tree(fresh) == {"a.html": "new"} and _tree(target)["a.html"] == "old"
