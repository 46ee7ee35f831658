"""Every module that registers a job with ``@job``, in one list an editor can follow.

Importing this module registers every job.  The job modules import torch, so only the
worker thread (before the first job the GUI thread has not registered already) and a
command that needs them import it — never the GUI thread, which builds the torch-free
params dataclasses alone.  A new job module is added here; ``test_job_registry`` fails
for a params class whose job this list does not reach.
"""

from __future__ import annotations

from types import ModuleType

from workbench.core import text_metrics
from workbench.core.editing import jobs as editing_jobs
from workbench.core.editing import known_facts
from workbench.core.finetune import jobs as finetune_jobs
from workbench.core.model import gguf_import, pack_install, session
from workbench.core.rag import jobs as rag_jobs
from workbench.core.sampling import jobs as sampling_jobs
from workbench.core.tracing import jobs as tracing_jobs
from workbench.store import lesson_jobs, project_jobs

JOB_MODULES: tuple[ModuleType, ...] = (
    session,
    gguf_import,
    pack_install,
    known_facts,
    text_metrics,
    sampling_jobs,
    tracing_jobs,
    editing_jobs,
    finetune_jobs,
    rag_jobs,
    project_jobs,
    lesson_jobs,
)
"""The modules whose ``@job`` functions the worker and the CLI run."""
