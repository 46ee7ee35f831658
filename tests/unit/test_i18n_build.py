"""The translation build: a .ts becomes a .qm, an up-to-date .qm is left alone."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.i18n_build import I18N_DIR, build, stale_sources

SOURCE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>Demo</name>
<message><source>Generate</source><translation>生成</translation></message>
</context>
</TS>
"""


def test_a_source_is_compiled_once_and_again_after_it_changes(tmp_path: Path) -> None:
    source = tmp_path / "demo_zh_CN.ts"
    source.write_text(SOURCE, encoding="utf-8")
    assert stale_sources(tmp_path) == [source]
    assert build(tmp_path) == [tmp_path / "demo_zh_CN.qm"]
    assert (tmp_path / "demo_zh_CN.qm").stat().st_size > 0
    assert build(tmp_path) == []  # up to date: nothing to do
    later = (tmp_path / "demo_zh_CN.qm").stat().st_mtime + 10
    os.utime(source, (later, later))
    assert build(tmp_path) == [tmp_path / "demo_zh_CN.qm"]


def test_the_shell_translation_is_complete() -> None:
    """Every message of the shell's source has a translation (none left "unfinished")."""
    text = (I18N_DIR / "shell_zh_CN.ts").read_text(encoding="utf-8")
    assert text.count("<source>") > 400
    assert 'type="unfinished"' not in text and "<translation></translation>" not in text
