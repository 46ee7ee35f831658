"""The benchmark session: the app's start-up environment, and one table of results at the end.

Every benchmark records its headline numbers with the ``bench_record`` fixture (name, value,
target); ``./dev.sh bench`` ends with one table of them — benchmark, value, target, pass or
FAIL — and exits non-zero when a target is missed, even by a benchmark that does not assert.
A benchmark that fails before it records anything gets a FAIL row of its own.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from workbench.core.rag.threads import set_wait_policy_env

# What ``workbench.app.main`` does before torch loads, so the benches measure the app as it
# runs (idle OpenMP workers sleep instead of spinning on the GUI thread's cores); importing
# ``workbench.ui`` keeps Qt's raster fills on the GUI thread, as in the app.
set_wait_policy_env()
import workbench.ui  # noqa: E402,F401

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class BenchResult:
    test: str
    name: str
    value: float
    compare: str
    target: float
    unit: str
    passed: bool


_RESULTS: list[BenchResult] = []
_FAILED_TESTS: dict[str, str] = {}


@pytest.fixture
def bench_record(request: pytest.FixtureRequest) -> Callable[..., bool]:
    """``bench_record(name, value, compare, target, unit="")`` → whether the target is met.

    ``compare`` is one of ``<  <=  >  >=`` (value compare target): ``("finetune-gui p99",
    36.2, "<", 50, "ms")`` reads "p99 36.2 ms, target < 50 ms".
    """

    def record(name: str, value: float, compare: str, target: float, unit: str = "") -> bool:
        passed = bool(_COMPARE[compare](value, target))
        _RESULTS.append(BenchResult(request.node.nodeid, name, float(value), compare, target, unit, passed))
        return passed

    return record


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _FAILED_TESTS.setdefault(report.nodeid, report.when)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if any(not r.passed for r in _RESULTS) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    rows = [
        (r.name, _format(r.value, r.unit), f"{r.compare} {_format(r.target, r.unit)}", "pass" if r.passed else "FAIL")
        for r in _RESULTS
    ]
    explained = {r.test for r in _RESULTS if not r.passed}
    for test, when in _FAILED_TESTS.items():
        if test not in explained:  # an error, or an assertion beside the recorded targets
            rows.append((test.split("::")[-1], f"failed in {when}", "see above", "FAIL"))
    if not rows:
        return
    header = ("benchmark", "value", "target", "result")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    write = terminalreporter.write_line
    terminalreporter.section("benchmark results")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    missed = sum(row[3] == "FAIL" for row in rows)
    write(f"{len(rows) - missed} of {len(rows)} met their targets" + (f"; {missed} missed" if missed else ""))


def _format(value: float, unit: str) -> str:
    text = f"{value:.3g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return f"{text} {unit}".rstrip() if unit != "x" else f"{text}x"
