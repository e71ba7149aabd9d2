"""Application factory for the SME digital-transformation diagnosis service."""
from flask import Flask

from config import Config


def create_app(config=None):
    """Build the Flask application; `config` (a dict) overrides settings, as tests do."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if config:
        app.config.update(config)

    # Each subsystem registers itself here with one line; keep the order: storage before web.
    import storage.db, web.platform, web.public, web.auth, web.profile  # noqa: E401
    storage.db.init_app(app)
    web.platform.init_app(app)  # languages, sign-in, CSRF, rate limits, error pages, menu
    app.register_blueprint(web.public.bp)
    app.register_blueprint(web.auth.bp, url_prefix="/auth")
    app.register_blueprint(web.profile.bp, url_prefix="/profile")
    import web.assess; app.register_blueprint(web.assess.bp, url_prefix="/assess")  # noqa: E702
    import web.reports; app.register_blueprint(web.reports.bp, url_prefix="/reports")  # noqa: E702
    import web.plan; app.register_blueprint(web.plan.bp, url_prefix="/plan")  # noqa: E702
    import web.consents; app.register_blueprint(web.consents.bp, url_prefix="/consents")  # noqa: E702
    import web.organisations; app.register_blueprint(web.organisations.bp, url_prefix="/org")  # noqa: E702
    import web.on_site; app.register_blueprint(web.on_site.bp, url_prefix="/on-site")  # noqa: E702
    import web.verification; app.register_blueprint(web.verification.bp, url_prefix="/verify")  # noqa: E702
    import web.projects; app.register_blueprint(web.projects.bp, url_prefix="/projects")  # noqa: E702
    import web.admin; app.register_blueprint(web.admin.bp, url_prefix="/admin")  # noqa: E702
    import web.accounts; app.register_blueprint(web.accounts.bp, url_prefix="/accounts")  # noqa: E702
    import web.bureau; app.register_blueprint(web.bureau.bp, url_prefix="/bureau")  # noqa: E702
    import web.tokens; app.register_blueprint(web.tokens.bp, url_prefix="/tokens")  # noqa: E702
    import web.my_data; app.register_blueprint(web.my_data.bp, url_prefix="/my-data")  # noqa: E702
    import web.api; web.api.init_app(app)  # noqa: E702  (/api/v1)
    from commands import register_commands
    register_commands(app)
    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=5000)
