"""A project this process may not write opens read-only: its runs can be listed and reopened
and its collections queried, and every write is refused with a sentence.

Tests often run as root, for whom ``chmod`` changes nothing, so the permission check is
faked; what follows it (SQLite opened ``mode=ro``) is the real thing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workbench.base.errors import ProjectError
from workbench.cli import main
from workbench.store.project import ProjectStore

FILES = Path(__file__).parent / "rag_files"


@pytest.fixture()
def read_only_disk(monkeypatch):
    """Make the paths in the returned list unwritable, as ``chmod a-w`` does for a user."""
    denied: list[Path] = []
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path) in denied:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    return denied


@pytest.fixture()
def project_with_a_run(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "p.wbproj"
    with ProjectStore.create(path) as store:
        run_id = store.start_run("trace", {"prompt": "x"}, title="a trace", model_id=None)
        store.finish_run(run_id, status="finished", result={"answer": 42})
    return path


def test_a_read_only_project_opens_for_reading_and_refuses_writes(project_with_a_run: Path, read_only_disk) -> None:
    read_only_disk.append(project_with_a_run)
    with ProjectStore.open(project_with_a_run) as store:
        assert store.read_only and store.read_only_reason == "the file is read-only"
        (summary,) = store.list_runs()
        assert store.load_run(summary.id).summary.title == "a trace"
        with pytest.raises(ProjectError, match=r"p\.wbproj is read-only \(the file is read-only\), so this change"):
            store.rename_run(summary.id, "renamed")
        with pytest.raises(ProjectError, match="is read-only"):
            store.start_run("trace", {}, title="new", model_id=None)


def test_a_project_in_a_read_only_folder_opens_read_only(project_with_a_run: Path, read_only_disk, tmp_path) -> None:
    read_only_disk.append(project_with_a_run.parent)
    with ProjectStore.open(project_with_a_run) as store:
        assert "folder" in store.read_only_reason and len(store.list_runs()) == 1
        copy = store.save_copy(tmp_path / "copy.wbproj")  # the way out: a writable copy
    with ProjectStore.open(copy) as writable:
        assert not writable.read_only and len(writable.list_runs()) == 1


def test_rag_list_and_query_work_on_a_read_only_project_and_ingest_is_refused(
    tmp_path: Path, read_only_disk, capsys
) -> None:
    path = tmp_path / "rag.wbproj"
    assert main(["rag", "ingest", "--project", str(path), "--create", "--collection", "notes",
                 "--embedder", "e5-small", "--quiet", "--json", str(FILES)]) == 0  # fmt: skip
    capsys.readouterr()
    read_only_disk.append(path)
    assert main(["rag", "list", "--project", str(path), "--json", "--quiet"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in listing["collections"]] == ["notes"]
    assert main(["rag", "query", "--project", str(path), "--collection", "notes", "--k", "1",
                 "--retriever", "bm25", "--quiet", "--json", "giraffe"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["results"]
    new = tmp_path / "okapi.md"
    new.write_text("# Okapi\n\nThe okapi lives in the rainforest of the Congo.\n", encoding="utf-8")
    code = main(["rag", "ingest", "--project", str(path), "--collection", "notes", "--quiet", str(new)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "is read-only" in err


def test_rag_ingest_exits_non_zero_when_every_file_failed(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    code = main(["rag", "ingest", "--project", str(tmp_path / "r.wbproj"), "--create", "--collection", "c",
                 "--embedder", "e5-small", "--quiet", str(broken), str(empty)])  # fmt: skip
    captured = capsys.readouterr()
    assert "failed" in captured.out
    err = captured.err.strip()
    assert code == 2 and err.count("\n") == 0 and "None of the 2 file(s) could be ingested" in err
