"""Reading content files (YAML) with line numbers, so every error names file and line.

Content editors are not programmers: when a script or glossary file is wrong,
the message must point at the exact place. PyYAML silently keeps the last of
two duplicate keys; here a duplicate key is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with a content file, located for a human editor."""

    path: Path
    line: int  # 1-based; 0 when the problem is about the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Located(dict[str, Any]):
    """A mapping from a content file that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A sequence from a content file that remembers its line and each item's line."""

    line: int = 0
    item_lines: list[int]


@dataclass
class _Builder:
    path: Path
    problems: list[ContentProblem] = field(default_factory=list)

    def build(self, node: Node) -> Any:
        if isinstance(node, MappingNode):
            result = Located()
            result.line = node.start_mark.line + 1
            result.key_lines = {}
            for key_node, value_node in node.value:
                key = self.build(key_node)
                if not isinstance(key, str):
                    key = str(key)
                if key in result:
                    self.problems.append(
                        ContentProblem(
                            self.path,
                            key_node.start_mark.line + 1,
                            f"duplicate key {key!r} (first at line {result.key_lines[key]})",
                        )
                    )
                    continue
                result[key] = self.build(value_node)
                result.key_lines[key] = key_node.start_mark.line + 1
            return result
        if isinstance(node, SequenceNode):
            items = LocatedList(self.build(child) for child in node.value)
            items.line = node.start_mark.line + 1
            items.item_lines = [child.start_mark.line + 1 for child in node.value]
            return items
        if isinstance(node, ScalarNode):
            return _construct_scalar_value(node)
        raise TypeError(f"unexpected YAML node {node!r}")


def _construct_scalar_value(node: ScalarNode) -> Any:
    """Resolve a scalar the way SafeLoader would (int, bool, date, str ...)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load_yaml(path: Path) -> Any:
    """Parse one YAML file into Located/LocatedList values; raise ContentError with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([ContentProblem(path, 0, f"cannot read file: {exc}")]) from exc
    data = load_yaml_text(text, path)
    if data is None:
        raise ContentError([ContentProblem(path, 0, "file is empty")])
    return data


def load_yaml_text(text: str, path: Path) -> Any:
    """Parse YAML text (``path`` names it in errors); None for an empty document.

    Babel extractors receive an open file rather than a path, so they parse
    through this function and get exactly the values and lines ``load_yaml`` gives.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise ContentError([ContentProblem(path, line, f"not valid YAML: {exc.problem}")]) from exc
    if node is None:
        return None
    builder = _Builder(path)
    data = builder.build(node)
    if builder.problems:
        raise ContentError(builder.problems)
    return data
