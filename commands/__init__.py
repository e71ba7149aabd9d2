"""Command-line commands (`flask --app app ...`).

Each command is listed here by name, with its module and its one-line help, and its module is
imported only when the command runs (or shows its own help): `flask --help` imports none of
them. tests/unit/test_cli_commands.py checks this list against the commands themselves.
"""
import importlib

import click

# name: (module:attribute, the line `flask --help` shows)
COMMANDS = {
    "aggregates": ("commands.aggregates:aggregates_command",
                   "Aggregate maturity for the whole city, with disclosure control; bad filters exit 2."),
    "assessments": ("commands.assessments:assessments_cli", "Assessments: self-assessments and on-site."),
    "audit": ("commands.organisations:audit_cli", "The audit trail of outsiders' access to enterprise data."),
    "catalogue": ("commands.catalogue:group", "Solution modules and service providers."),
    "demo": ("commands.demo:demo_cli", "Demonstration data."),
    "diagnose": ("commands.diagnose:diagnose",
                 "Score one assessment; bad answers exit 2 with every problem on stderr."),
    "instruments": ("commands.instruments:instruments_cli", "Questionnaire (instrument) files."),
    "orgs": ("commands.organisations:orgs_cli", "Organisations: centres, providers, bureaus, platforms."),
    "plan": ("commands.plan:plan",
             "A budgeted roadmap of modules and providers; bad input exits 2 with every problem on stderr."),
    "projects": ("commands.projects:projects_cli", "Help requests and the projects they became."),
    "providers": ("commands.projects:providers_cli", "Service providers: their outcome records."),
    "report": ("commands.report:report",
               "Write the report of a submitted assessment, or of answers in a file (not archival)."),
    "reports": ("commands.reports:group", "Stored PDF reports."),
    "rescore": ("commands.rescore:rescore_command",
                "How the level distribution of stored assessments would change under a changed file."),
    "retention": ("commands.retention:retention_cli", "What is kept after an enterprise's deletion."),
    "tokens": ("commands.tokens:tokens_cli", "Bearer tokens of the JSON API (/api/v1)."),
}


class LazyCommand(click.Command):
    """A command known by its name and help line until it runs: parsing its arguments (or its
    own --help) imports its module and hands over to the real command."""

    def __init__(self, name: str, target: str, help_line: str):
        super().__init__(name, help=help_line, add_help_option=False)
        self.target = target

    def load(self) -> click.Command:
        module, attribute = self.target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def make_context(self, info_name, args, parent=None, **extra):
        return self.load().make_context(info_name, args, parent=parent, **extra)


def register_commands(app):
    """Attach every command to the app's CLI, by name."""
    for name, (target, help_line) in COMMANDS.items():
        app.cli.add_command(LazyCommand(name, target, help_line))
