"""Cross-cutting web set-up: logging and request ids, languages, URL converters, sign-in,
CSRF, limits, security headers, mail, error pages, health probes, menu."""
from flask import url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from services import accounts
from web import converters, errors, forms, health, i18n, mail, observe, security
from web.nav import nav_for_current_user


def init_app(app) -> None:
    if app.config.get("TRUSTED_PROXIES"):
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    observe.init_app(app)  # first: every later step logs under the request's id
    converters.init_app(app)  # before any blueprint adds its routes
    i18n.init_app(app)
    security.init_app(app)
    mail.init_app(app)
    errors.init_app(app)
    app.before_request(forms.refuse_other_bodies)  # after CSRF's check (security.init_app)
    app.register_blueprint(health.bp)

    @app.context_processor
    def _layout_context():
        items = nav_for_current_user(app)
        home = next((i["url"] for i in items if i["endpoint"] != "public.index"), None)
        several = current_user.is_authenticated and len(current_user.enterprise_ids) > 1
        return {"nav_items": items, "home_url": home or url_for("public.index"),
                "my_enterprises": accounts.enterprise_choices(current_user) if several else []}

