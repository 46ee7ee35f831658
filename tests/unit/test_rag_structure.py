"""Book structure: heading paths per chunk, blocks never cut, section chunks, PDF pages on hits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from test_rag_ingest import ctx, run  # noqa: F401  (fixtures)
from test_rag_loaders import make_pdf

from workbench.base.jobs import JobContext
from workbench.core.rag.chunking import chunk_text
from workbench.core.rag.params import (
    ChunkSettings,
    DocumentChunksParams,
    Hit,
    IngestParams,
    ListCollectionsParams,
    QueryParams,
)
from workbench.core.rag.structure import blocks, heading_paths, headings

BOOK = """目录
5.4\t定位编辑法: ROME\t210
5 模型编辑
模型编辑只修正特定的知识点。
5.1 模型编辑思想
编辑要准确。
1 这是一个编号列表项，不是章。
第 5 章 模型编辑
这一行之上是页眉，不是新的一章。
5.4 定位编辑法: ROME
ROME 更新整个全连接前馈模块。
$$v = \\arg\\min L(z)。 \\quad (5.1)$$
5.4.1 知识存储位置
因果跟踪找到存储知识的层。
```
# not a heading
x = 1
```
6 检索增强生成
RAG 在生成前先检索。
"""


def _path_of(text: str, needle: str) -> str:
    return heading_paths(text, np.asarray([text.index(needle)]))[0]


def test_chapters_sections_and_subsections_nest_into_heading_paths() -> None:
    assert [h.label for h in headings(BOOK)] == [
        "5 模型编辑", "5.1 模型编辑思想", "5.4 定位编辑法: ROME", "5.4.1 知识存储位置", "6 检索增强生成",
    ]  # fmt: skip
    assert _path_of(BOOK, "目录") == ""
    assert _path_of(BOOK, "编辑要准确") == "5 模型编辑 › 5.1 模型编辑思想"
    assert _path_of(BOOK, "ROME 更新") == "5 模型编辑 › 5.4 定位编辑法: ROME"
    assert _path_of(BOOK, "因果跟踪") == "5 模型编辑 › 5.4 定位编辑法: ROME › 5.4.1 知识存储位置"
    assert _path_of(BOOK, "RAG 在") == "6 检索增强生成"


def test_running_heads_contents_lines_list_items_and_code_comments_are_not_headings() -> None:
    labels = [h.label for h in headings(BOOK)]
    assert "第 5 章 模型编辑" not in labels  # a running head repeating the open chapter
    assert not any("210" in label for label in labels)  # the table of contents' line
    assert not any(label.startswith("1 ") for label in labels)  # a sentence after a number
    assert "not a heading" not in " ".join(labels)  # a comment inside a code block
    assert _path_of(BOOK, "这一行之上") == "5 模型编辑 › 5.1 模型编辑思想"


def test_markdown_headings_nest_by_their_level() -> None:
    text = "# Animals\nintro\n## Zebra\nstripes\n### Habitat\nsavanna\n## Giraffe\ntall"
    assert _path_of(text, "savanna") == "Animals › Zebra › Habitat"
    assert _path_of(text, "tall") == "Animals › Giraffe"


def test_formulas_code_and_tables_are_never_cut() -> None:
    table = "模型\t发布时间\t参数量\nBERT\t2018.10\t3.4\nRoBERTa\t2019.07\t3.5\n"
    text = "前文一句。" * 4 + "\n" + table + "后文一句。" * 4 + "\n" + BOOK
    spans = blocks(text, 0, len(text))
    pieces = [text[s:e].strip() for s, e in spans]
    assert table.strip() in pieces
    assert any(p.startswith("$$") and p.endswith("$$") for p in pieces)
    assert any(p.startswith("```") and p.endswith("```") for p in pieces)
    for method in ("sentences", "headings"):
        starts, ends = chunk_text(text, ChunkSettings(method, 30, 0))
        for start, end in spans:
            cut = [(s, e) for s, e in zip(starts.tolist(), ends.tolist()) if s < end and e > start]
            assert any(s <= start + 1 and e >= end - 1 for s, e in cut), (method, text[start:end])
            assert all(s <= start + 1 or s >= end for s, _ in cut)  # no chunk starts inside the block


def test_heading_chunks_stay_inside_their_section() -> None:
    starts, ends = chunk_text(BOOK, ChunkSettings("headings", 40, 10))
    section_starts = [h.start for h in headings(BOOK)]
    for start, end in zip(starts.tolist(), ends.tolist()):
        assert not any(start < boundary < end for boundary in section_starts if BOOK[start:boundary].strip())


def test_hits_and_the_chunk_browser_carry_heading_paths_and_pdf_pages(ctx: JobContext, tmp_path: Path) -> None:  # noqa: F811
    book = tmp_path / "book.md"
    book.write_text(BOOK, encoding="utf-8")
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(make_pdf(["Giraffes are tall animals of the savanna.", "Zebras have black and white stripes."]))
    run(ctx, IngestParams("notes", (str(book), str(paper)), "e5-small", ChunkSettings("headings", 45, 0)))
    (hit,) = run(ctx, QueryParams("notes", "因果跟踪找到存储知识的层", k=1, retriever="bm25")).results
    assert hit.heading == "5 模型编辑 › 5.4 定位编辑法: ROME › 5.4.1 知识存储位置"
    (zebra,) = run(ctx, QueryParams("notes", "zebras stripes", k=1, retriever="bm25")).results
    assert (zebra.page, zebra.pages) == (2, "p. 2")
    (giraffe,) = run(ctx, QueryParams("notes", "giraffes savanna", k=1, retriever="bm25")).results
    assert (giraffe.page, giraffe.pages, giraffe.heading) == (1, "p. 1", "")
    documents = {d.name: d for d in run(ctx, ListCollectionsParams()).collections[0].documents}
    layout = run(ctx, DocumentChunksParams(documents["book.md"].id))
    assert len(layout.headings) == len(layout.starts)
    assert layout.headings == heading_paths(layout.text, layout.starts)
    assert "5 模型编辑 › 5.4 定位编辑法: ROME" in layout.headings


def test_a_chunk_over_a_page_break_cites_both_pages() -> None:
    hit = Hit(1, 1.0, 1, 1, "paper.pdf", 0, 10, 12, "text", last_page=13)
    assert hit.pages == "pp. 12–13"
    assert Hit(1, 1.0, 1, 1, "notes.md", 0, 10, None, "text").pages == ""
