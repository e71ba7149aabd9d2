"""`flask tokens create --user EMAIL --scopes a,b [--expires 90d] [--organisation ID] [--name N]`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from commands.diagnose import EXIT_BAD_INPUT
from services import api_tokens
from services.accounts import load_account, normalise_email
from services.errors import NotFound
from storage.db import db_session
from storage.models import User

tokens_cli = AppGroup("tokens", help="Bearer tokens of the JSON API (/api/v1).")


@tokens_cli.command("create")
@click.option("--user", "email", required=True, help="E-mail of the person the token acts as.")
@click.option("--scopes", required=True,
              help="Comma-separated, e.g. assessments:read,catalogue:read (data/api.yaml).")
@click.option("--expires", help="Expiry in days, e.g. 90d (default: until revoked).")
@click.option("--organisation", "organisation_id", type=click.IntRange(1, 2**31 - 1),
              help="Make a service token of this organisation (the user must administer it).")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def create(email, scopes, expires, organisation_id, name):
    """Print a new token on standard output (only once: it is stored hashed)."""
    user_id = db_session.scalar(select(User.id).where(User.email == normalise_email(email)))
    account = load_account(user_id) if user_id is not None else None
    if account is None:
        _fail(f"no active account with the e-mail {email}")
    try:
        made = api_tokens.create(account, name, scopes, expires, organisation_id)
    except api_tokens.TokenInvalid as err:
        known = ", ".join(api_tokens.settings().scopes)
        for field, problem in err.problems.items():
            click.echo({"scopes": f"--scopes: unknown or none: "
                                  f"{problem.params.get('unknown') or '-'} (known: {known})",
                        "days": f"--expires must be 1d to {api_tokens.settings().token_max_days}d",
                        }.get(field, f"--name: {problem.code}"), err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    except NotFound:
        _fail(f"{email} is not an administrator of organisation {organisation_id}")
    click.echo(made.token)


def _fail(message):
    click.echo(message, err=True)
    raise SystemExit(EXIT_BAD_INPUT)
