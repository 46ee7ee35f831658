"""The job context as the core's jobs see it: a ``ModelSession`` and a ``ProjectStore``.

``workbench.base.jobs.JobContext`` is generic so that the bottom layer names nothing above
it; the core knows both types and names them here, once.  The alias is a string for the
type checker only (the job modules postpone their annotations), so importing it costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from workbench.base.jobs import JobContext
    from workbench.core.model.session import ModelSession
    from workbench.store import ProjectStore

CoreContext: TypeAlias = "JobContext[ModelSession, ProjectStore]"
