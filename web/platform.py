"""Cross-cutting web set-up: languages, sign-in, CSRF, limits, errors, menu."""
from web import errors, i18n, security
from web.nav import nav_for_current_user


def init_app(app) -> None:
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    @app.context_processor
    def _layout_context():
        return {"nav_items": nav_for_current_user(app)}
