"""Command-line commands (`flask --app app ...`)."""


def register_commands(app):
    """Attach every command group to the app's CLI; one line per command module."""
    from commands import diagnose, instruments
    instruments.init_app(app)
    diagnose.init_app(app)
    from commands import report, reports; report.init_app(app); reports.init_app(app)  # noqa: E702
    from commands import catalogue, plan; catalogue.init_app(app); plan.init_app(app)  # noqa: E702
    from commands import demo; demo.init_app(app)  # noqa: E702
    from commands import organisations; organisations.init_app(app)  # noqa: E702
    from commands import assessments; assessments.init_app(app)  # noqa: E702
    from commands import projects; projects.init_app(app)  # noqa: E702
    from commands import aggregates; aggregates.init_app(app)  # noqa: E702
    from commands import rescore; rescore.init_app(app)  # noqa: E702
    from commands import tokens; tokens.init_app(app)  # noqa: E702
    from commands import retention; retention.init_app(app)  # noqa: E702
