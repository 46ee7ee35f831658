"""The ingest estimate: characters, chunks and time before anything is encoded (issue 19, item 9)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from workbench.core.rag import estimate
from workbench.core.rag.chunking import chunk_text
from workbench.core.rag.estimate import estimate_ingest, may_be_long
from workbench.core.rag.params import ChunkSettings, IngestEstimate, duration_words

SETTINGS = ChunkSettings("sentences", 120, 30)
TEXT = "Zebras live in herds on the savanna. Every zebra has its own stripes! Lions hunt them at night. " * 4


def test_a_tiny_file_is_estimated_from_its_characters_chunks_and_the_given_throughput(tmp_path: Path) -> None:
    (tmp_path / "zebra.txt").write_text(TEXT, encoding="utf-8")
    result = estimate_ingest([str(tmp_path)], SETTINGS, "e5-small", chunks_per_s=2.0)
    starts, _ = chunk_text(TEXT, SETTINGS)
    assert result.characters == len(TEXT) and result.chunks == len(starts) > 1
    assert result.seconds == pytest.approx(len(starts) / 2.0)
    assert (result.basis, result.files, result.unchanged, result.guessed) == ("given", 1, 0, False)


def test_a_long_text_is_chunked_on_a_sample_and_scaled_to_its_length(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(estimate, "SAMPLE_CHARS", 2_000)
    text = TEXT * 40
    (tmp_path / "long.md").write_text(text, encoding="utf-8")
    result = estimate_ingest([str(tmp_path / "long.md")], SETTINGS, "e5-small", chunks_per_s=10.0)
    exact = len(chunk_text(text, SETTINGS)[0])
    assert abs(result.chunks - exact) <= 0.05 * exact


def test_files_the_collection_holds_are_skipped_and_pdf_text_is_guessed_from_its_size(tmp_path: Path) -> None:
    (tmp_path / "zebra.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 " + b"x" * 25_000)
    known = frozenset({hashlib.sha256((tmp_path / "zebra.txt").read_bytes()).hexdigest()})
    result = estimate_ingest([str(tmp_path)], SETTINGS, "e5-small", chunks_per_s=1.0, known_hashes=known)
    assert result.unchanged == 1 and result.guessed
    assert result.characters == (25_009) // 25 and result.chunks == 1 + -(-(1000 - 120) // 90)


def test_a_large_estimate_measures_the_embedder_and_says_so(tmp_path: Path, monkeypatch) -> None:
    probed: list[list[str]] = []
    monkeypatch.setattr(estimate, "PROBE_ABOVE_S", 0.0)
    monkeypatch.setattr(estimate, "measure_chunks_per_s", lambda name, samples: probed.append(samples) or 0.001)
    (tmp_path / "zebra.txt").write_text(TEXT, encoding="utf-8")
    result = estimate_ingest([str(tmp_path)], SETTINGS, "e5-small")
    assert result.basis == "measured" and probed and all(s in TEXT for s in probed[0])
    assert result.long and "on this machine (0.0 chunks/s measured with e5-small)" in result.summary()


def test_a_small_input_uses_the_assumed_rate_without_loading_an_embedder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(estimate, "measure_chunks_per_s", lambda *a: pytest.fail("probed a tiny input"))
    (tmp_path / "zebra.txt").write_text(TEXT, encoding="utf-8")
    result = estimate_ingest([str(tmp_path)], SETTINGS, "e5-small")
    assert result.basis == "assumed" and not result.long


def test_the_summary_says_chunks_characters_and_hours_and_minutes() -> None:
    result = IngestEstimate(50_000_000, 210_000, 4.5 * 3600, "measured", 13.0, "e5-small")
    assert result.summary() == (
        "≈ 210,000 chunks from 50,000,000 characters; about 4 h 30 min on this machine "
        "(13.0 chunks/s measured with e5-small)"
    )
    assert [duration_words(s) for s in (0.2, 40, 720, 3600)] == ["1 s", "40 s", "12 min", "1 h"]


def test_only_files_big_enough_to_be_long_need_an_estimate(tmp_path: Path) -> None:
    (tmp_path / "small.txt").write_text(TEXT, encoding="utf-8")
    assert not may_be_long([str(tmp_path)])
    (tmp_path / "big.txt").write_bytes(b"a. " * 150_000)
    assert may_be_long([str(tmp_path)])
