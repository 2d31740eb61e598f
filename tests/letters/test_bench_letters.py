"""bench/letters.py still runs (it is run on demand, so nothing else would notice it breaking)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_letters", ROOT / "bench" / "letters.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_letter_benchmark_builds_letters_of_each_size_and_times_them() -> None:
    bench = _bench()
    for size in bench.SIZES:
        (letter,) = bench.letters_of(size, 1)
        assert len(letter) == size
    timings = bench.timed(len, ["abc", "de"], rounds=2)
    assert len(timings) == 4 and timings == sorted(timings)
