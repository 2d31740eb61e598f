"""The benchmark still runs (it is run on demand, so nothing else would notice it breaking).

Only that every simulated user gets a reply to every update, and that the teachers
really walk a preparation; speed itself is measured by ``bench/full_stack.py``, not here.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_full_stack", ROOT / "bench" / "full_stack.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_full_stack_and_floor_answer_every_update_of_every_user(tmp_path: Path) -> None:
    bench = _bench()
    full = await bench.full_stack(tmp_path / "full.sqlite3", users=6)
    floor = await bench.floor(tmp_path / "floor.sqlite3", users=6)
    assert len(full.latencies) == len(floor.latencies) == 6 * bench.UPDATES_PER_USER
    assert len(full.by_role["teacher"]) == len(full.by_role["parent"]) == 3 * bench.UPDATES_PER_USER
    with sqlite3.connect(tmp_path / "full.sqlite3") as conn:
        steps = conn.execute("SELECT COUNT(*) FROM processed_updates").fetchone()[0]
    assert steps >= 3 * (bench.UPDATES_PER_USER // 2)  # the teachers' presses and answers were stored


async def test_the_same_workload_runs_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    """bench/pg_vs_sqlite.py's PostgreSQL side: every update answered, the teachers' steps stored there."""
    import asyncpg

    updates_per_user = _bench().UPDATES_PER_USER
    sys.path.insert(0, str(ROOT))
    from bench.pg_vs_sqlite import one_run, settings_for

    run = await one_run(settings_for(None, pg_url), 0.0, users=6)
    assert len(run.latencies) == 6 * updates_per_user
    conn = await asyncpg.connect(pg_url)
    try:
        steps = await conn.fetchval("SELECT COUNT(*) FROM processed_updates")
    finally:
        await conn.close()
    assert steps >= 3 * (updates_per_user // 2)
