"""The instruments of a folder, with every version kept: new drafts use the latest version,
stored results keep the version they were scored with.
"""
from pathlib import Path

from .errors import InstrumentError
from .reader import SEMVER_RE


def version_key(version):
    """Sort key of a semantic version ("2.0.0-rc.1" before "2.0.0")."""
    found = SEMVER_RE.match(version or "")
    if not found:
        return (-1, -1, -1, 0, version or "")
    major, minor, patch, pre = found.groups()
    return (int(major), int(minor), int(patch), 0 if pre else 1, pre or "")


class Registry(dict):
    """{instrument id: its latest version}; older versions through `version()`.

    A plain dict to read (`registry["cn-sme-2024"]`, `.get()`, `.values()` give the version
    new assessments use), plus every version ever shipped for the results scored with them.
    """

    def __init__(self, instruments=()):
        super().__init__()
        self._versions = {}
        for inst in instruments:
            self._versions.setdefault(inst.id, {})[inst.version] = inst
        for iid, versions in self._versions.items():
            self[iid] = versions[max(versions, key=version_key)]

    def version(self, instrument_id, version):
        """That exact version of the instrument, or None."""
        return self._versions.get(instrument_id, {}).get(version)

    def versions(self, instrument_id):
        """Every version of the instrument, oldest first."""
        found = self._versions.get(instrument_id, {})
        return [found[v] for v in sorted(found, key=version_key)]

    def all(self):
        """Every instrument version, by id then version."""
        return [inst for iid in sorted(self._versions) for inst in self.versions(iid)]


def load_instruments(directory):
    """Load every *.yaml in `directory` into a Registry; problems of all files at once."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise InstrumentError([f"{directory}: no *.yaml instrument files"])
    found, problems = load_files(files)
    if problems:
        raise InstrumentError(problems)
    return found


def load_files(paths):
    """Load several files without raising: (Registry, problems of every file, of versions
    shipped twice and of `superseded_by` naming no newer version)."""
    from .instrument import load_instrument  # the loader imports this module's names

    problems, loaded, seen = [], [], {}
    for path in paths:
        try:
            inst = load_instrument(path)
        except InstrumentError as exc:
            problems.extend(exc.problems)
            continue
        key = (inst.id, inst.version)
        if key in seen:
            problems.append(f"{path}: version: instrument '{inst.id}' version {inst.version} "
                            f"is also in {seen[key].source}")
            continue
        seen[key] = inst
        loaded.append(inst)
    for inst in loaded:
        newer = inst.superseded_by
        if newer is None:
            continue
        if (inst.id, newer) not in seen:
            problems.append(f"{inst.source}: superseded_by: no file holds '{inst.id}' version {newer}")
        elif version_key(newer) <= version_key(inst.version):
            problems.append(f"{inst.source}: superseded_by: {newer} is not newer than {inst.version}")
    return Registry(loaded), problems
