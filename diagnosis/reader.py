"""Reading raw YAML into checked values, collecting every problem with its file and path."""
import re

import yaml

LANGS = ("zh", "en")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.\-]+)?$")


# libyaml's parser where PyYAML was built with it (its wheels are): the same documents and
# errors, about eight times faster than the pure-Python parser on the catalogues.
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:
    from yaml import SafeLoader  # type: ignore[assignment]


def safe_load(text):
    """`yaml.safe_load` with SafeLoader."""
    return yaml.load(text, Loader=SafeLoader)


class _StrictLoader(SafeLoader):
    """SafeLoader that reports duplicate mapping keys instead of silently keeping the last."""

    duplicate_keys = None

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                self.duplicate_keys.append((key, key_node.start_mark.line + 1))
            seen[key] = True
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping)


def parse_yaml(text, file, problems):
    """Parse YAML text; on failure append "file: line N: ..." and return None."""
    loader = _StrictLoader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}" if mark else "line ?"
        problems.append(f"{file}: {line}: malformed YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.append(f"{file}: malformed YAML: {exc}")
        return None
    finally:
        loader.dispose()
    for key, line in loader.duplicate_keys:
        problems.append(f"{file}: line {line}: duplicate key '{key}'")
    return data


def _fmt(value):
    return repr(value) if isinstance(value, str) else str(value)


class Reader:
    """Checks pieces of one file's data; `problems` collects "file: path: what is wrong"."""

    def __init__(self, file, problems):
        self.file = file
        self.problems = problems

    def bad(self, path, message):
        self.problems.append(f"{self.file}: {path or '(top)'}: {message}")

    def mapping(self, node, path, required=(), optional=()):
        """A dict with these keys; returns it (or {} when it is not a mapping)."""
        if not isinstance(node, dict):
            self.bad(path, f"must be a mapping, got {type(node).__name__}")
            return {}
        for key in required:
            if key not in node:
                self.bad(path, f"missing key '{key}'")
        allowed = set(required) | set(optional)
        for key in node:
            if key not in allowed:
                self.bad(path, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")
        return node

    def seq(self, node, path, non_empty=True):
        if not isinstance(node, list):
            self.bad(path, f"must be a list, got {type(node).__name__}")
            return []
        if non_empty and not node:
            self.bad(path, "must not be empty")
        return node

    def text(self, node, path):
        """A user-facing text: {zh: ..., en: ...}, both non-empty."""
        if not isinstance(node, dict):
            self.bad(path, "must be a text with translations {zh: ..., en: ...}")
            return {lang: "" for lang in LANGS}
        for lang in LANGS:
            value = node.get(lang)
            if not isinstance(value, str) or not value.strip():
                self.bad(path, f"missing translation '{lang}'")
        for key in node:
            if key not in LANGS:
                self.bad(path, f"unknown language '{key}' (allowed: zh, en)")
        return {lang: str(node.get(lang) or "") for lang in LANGS}

    def ident(self, node, path):
        if not isinstance(node, str) or not ID_RE.match(node):
            self.bad(path, f"id {_fmt(node)} must be lower-case letters, digits, '_' or '-'")
            return str(node)
        return node

    def number(self, node, path, lo=None, hi=None, integer=False):
        kind = int if integer else (int, float)
        if isinstance(node, bool) or not isinstance(node, kind):
            self.bad(path, f"must be {'an integer' if integer else 'a number'}, got {_fmt(node)}")
            return 0
        if (lo is not None and node < lo) or (hi is not None and node > hi):
            rng = f"{lo if lo is not None else '-inf'}..{hi if hi is not None else 'inf'}"
            self.bad(path, f"{node} is outside {rng}")
        return node

    def boolean(self, node, path, default=False):
        if node is None:
            return default
        if not isinstance(node, bool):
            self.bad(path, f"must be true or false, got {_fmt(node)}")
            return default
        return node

    def semver(self, node, path):
        if not isinstance(node, str) or not SEMVER_RE.match(node):
            self.bad(path, f"version {_fmt(node)} must be a semantic version like 1.0.0")
            return str(node)
        return node
