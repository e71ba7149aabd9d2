"""Solution modules and service providers: a loader that validates everything (the model is in
diagnosis/catalogue_model.py and importable from here).

A catalogue is data (YAML files, or rows imported from CSV by the service layer). Every
problem is collected before anything is refused, each naming the file, where inside it (a
YAML path or a CSV row) and the field, with a stable `code` the web translates.
"""
from pathlib import Path

import yaml

from diagnosis.catalogue_check import CatalogueChecker, CatalogueError, CatalogueProblem
from diagnosis.catalogue_model import (DEPLOYMENTS, PROVIDER_TYPES, SIZE_CLASSES, STATUSES, Catalogue,
                                       Effect, Module, Offer, Provider, Ranking, Requirement,
                                       SubsidyRule, industry_matches, modules_to_data,
                                       providers_to_data)
from diagnosis.reader import safe_load

__all__ = [
    "Catalogue", "CatalogueError", "CatalogueProblem", "Effect", "Requirement", "Module",
    "Offer", "Provider", "Ranking", "SubsidyRule", "PROVIDER_TYPES", "DEPLOYMENTS",
    "SIZE_CLASSES", "STATUSES", "load_catalogue", "parse_catalogue", "load_subsidy",
    "parse_subsidy", "industry_matches", "modules_to_data", "providers_to_data",
]


def _read_yaml(path, checker):
    try:
        return safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        checker.add("", "", "file_missing", "file not found")
    except UnicodeDecodeError:
        checker.add("", "", "not_utf8", "the file is not UTF-8 text")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        checker.add(f"line {line}", "", "yaml_syntax", f"malformed YAML at line {line}", line=line)
    return None


def load_catalogue(directory, instrument=None):
    """Load modules.yaml and providers.yaml from `directory`; raise CatalogueError listing all."""
    directory = Path(directory)
    checker = CatalogueChecker(instrument)
    docs = {}
    for kind in ("modules", "providers"):
        path = directory / f"{kind}.yaml"
        checker.file = path.name
        docs[kind] = _read_yaml(path, checker)
    checker.raise_if_any()
    return parse_catalogue(docs["modules"], docs["providers"], instrument,
                           files=("modules.yaml", "providers.yaml"))


def parse_catalogue(modules_doc, providers_doc, instrument=None, files=("modules", "providers"),
                    module_where=None, provider_where=None):
    """Build a Catalogue from already-read documents; every problem is raised at once.

    `module_where(i)` / `provider_where(i)` say where entry i came from (a CSV row, say).
    """
    checker = CatalogueChecker(instrument)
    checker.file = files[0]
    head, modules = checker.modules_doc(modules_doc, module_where)
    checker.file = files[1]
    p_head, providers = checker.providers_doc(providers_doc, set(modules), provider_where)
    checker.file = files[0]
    checker.module_links(modules)
    checker.raise_if_any()
    return Catalogue(modules=modules, providers=providers, rating_axes=p_head["rating_axes"],
                     ranking=p_head["ranking"], instrument=head.get("instrument", ""),
                     sample=bool(head.get("sample")))


def load_subsidy(path):
    """Read a subsidy rule file (YAML); None when `path` is empty."""
    if not path:
        return None
    checker = CatalogueChecker(None)
    checker.file = Path(path).name
    doc = _read_yaml(path, checker)
    checker.raise_if_any()
    return parse_subsidy(doc, checker.file)


def parse_subsidy(doc, file="subsidy"):
    checker = CatalogueChecker(None)
    checker.file = file
    rule = checker.subsidy_doc(doc)
    checker.raise_if_any()
    return rule
