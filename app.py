"""Application factory for the SME digital-transformation diagnosis service.

`create_app` is quick: it reads the settings, opens no connection and imports no page. The web
parts (sign-in, CSRF, languages, every blueprint and the JSON API) are set up the first time the
application serves: a request (test clients too), a look at its URL map (`url_for`,
`flask routes`), `flask shell`. An application context alone does not set it up: the commands
and the services they call use no web part, and `flask --help` pushes one to list the commands
(which it does without importing them, commands/__init__.py). The web server uses `serve_app`, which sets
everything up before the first request.
"""
from threading import RLock

from flask import Flask

import logsetup
from config import Config, require_secret_key


class DeferredSetupFlask(Flask):
    """A Flask application whose set-up (`defer_setup`) runs once, on first use."""

    _pending_setup = None

    def defer_setup(self, setup) -> None:
        self._setup_lock = RLock()
        self._setup_running = False
        self._pending_setup = setup

    def finish_setup(self) -> None:
        """Run the deferred set-up now unless it has run (other threads wait for it)."""
        if self._pending_setup is None:
            return
        with self._setup_lock:
            setup = self._pending_setup
            if setup is None or self._setup_running:  # done, or the set-up itself asking
                return
            self._setup_running = True
            try:
                setup(self)
                self._pending_setup = None
            finally:
                self._setup_running = False

    @property  # type: ignore[override]
    def url_map(self):
        self.finish_setup()
        return self._url_map

    @url_map.setter
    def url_map(self, value):
        self._url_map = value

    def make_shell_context(self):
        self.finish_setup()  # `flask shell` gives the whole application
        return super().make_shell_context()

    def __call__(self, environ, start_response):
        self.finish_setup()  # before wsgi_app is read: the set-up may wrap it (ProxyFix)
        return super().__call__(environ, start_response)


def create_app(config=None):
    """Build the Flask application; `config` (a dict) overrides settings, as tests do."""
    app = DeferredSetupFlask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    require_secret_key(app)
    logsetup.configure(app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))
    import storage.db
    storage.db.init_app(app)  # the engine connects on first use
    from commands import register_commands
    register_commands(app)  # by name: each command's module is imported when it runs
    app.defer_setup(_set_up_web)
    return app


def serve_app():
    """The application as the web server runs it (`gunicorn 'app:serve_app()'`): set up in full
    before the first request, and before gunicorn forks its workers when it preloads."""
    app = create_app()
    app.finish_setup()
    return app


def _set_up_web(app) -> None:
    # Each subsystem registers itself here with one line; keep the order: platform first.
    import web.platform, web.public, web.auth, web.profile  # noqa: E401
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


if __name__ == "__main__":
    serve_app().run(host="127.0.0.1", port=5000)
