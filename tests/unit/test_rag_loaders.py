"""Loading every supported file type, and a clear per-file message for every broken one."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from workbench.core.rag.loaders import UnreadableFile, collect_files, load_document

FILES = Path(__file__).parent / "rag_files"


def make_pdf(pages: list[str], password: str | None = None) -> bytes:
    """A real PDF with one line of Helvetica text per page (built with pypdf, no binary fixture)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for text in pages:
        page = writer.add_blank_page(612, 792)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    if password:
        writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("长颈鹿", level=1)
    document.add_paragraph("长颈鹿是现存最高的陆生动物。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "身高"
    table.rows[0].cells[1].text = "六米"
    document.save(path)


def test_markdown_and_text_keep_their_original_text(tmp_path: Path) -> None:
    loaded = load_document(FILES / "zebra_zh.md")
    assert loaded.kind == "md"
    assert loaded.text == (FILES / "zebra_zh.md").read_text(encoding="utf-8")
    assert loaded.page_starts == ()
    gb = tmp_path / "notes.txt"
    gb.write_bytes("北京是中国的首都。".encode("gb18030"))
    assert load_document(gb).text == "北京是中国的首都。"


def test_html_text_drops_scripts_and_turns_headings_into_markdown() -> None:
    text = load_document(FILES / "lumora.html").text
    assert text.startswith("# Lumora")
    assert "## Economy" in text
    assert "Lumora is a harbour city in Vestland" in text  # inline <b> does not break the line
    assert "do not index" not in text and "color: red" not in text
    assert "\nFishing\n" in text and text.endswith("\nShipbuilding")  # list items on their own lines


def test_pdf_pages_are_read_with_their_start_offsets(tmp_path: Path) -> None:
    path = tmp_path / "animals.pdf"
    path.write_bytes(make_pdf(["Giraffes are tall.", "Zebras are striped."]))
    loaded = load_document(path)
    assert len(loaded.page_starts) == 2
    second = loaded.page_starts[1]
    assert loaded.text[second:].startswith("Zebras are striped.")
    assert loaded.text[:second].strip() == "Giraffes are tall."


def test_docx_paragraphs_headings_and_tables_are_read(tmp_path: Path) -> None:
    path = tmp_path / "giraffe.docx"
    make_docx(path)
    text = load_document(path).text
    assert text.startswith("# 长颈鹿")
    assert "长颈鹿是现存最高的陆生动物。" in text
    assert "身高\t六米" in text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("image.png", b"\x89PNG\r\n", "not supported"),
        ("blob.txt", b"\x00\x01\x02binary", "binary"),
        ("empty.md", b"", "empty"),
        ("blank.md", b"   \n\n  ", "no text"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word"),
        ("latin1.txt", "café crème brûlée €".encode("cp1252") + b"\x81\x8d", "not UTF-8"),
    ],
)
def test_broken_files_raise_one_clear_sentence(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason) as caught:
        load_document(path)
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_encrypted_pdf_says_it_needs_a_password(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    path.write_bytes(make_pdf(["Top secret giraffe facts."], password="hunter2"))
    with pytest.raises(UnreadableFile, match="encrypted with a password"):
        load_document(path)


def test_docx_that_is_a_zip_without_a_document_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "hollow.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableFile, match="not a readable Word"):
        load_document(path)


def test_folders_expand_recursively_and_account_for_every_path(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "sub" / "c.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".hidden" / "d.md").write_text("d", encoding="utf-8")
    files, problems = collect_files([tmp_path, tmp_path / "a.md", tmp_path / "missing.md"])
    assert [f.name for f in files] == ["a.md", "b.txt"]
    reasons = dict(problems)
    assert "not supported" in reasons[str(tmp_path / "sub" / "c.jpg")]
    assert "does not exist" in reasons[str(tmp_path / "missing.md")]
