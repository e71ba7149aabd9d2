"""`flask orgs create --kind K --name N [--admin EMAIL] ...`, `flask orgs list`, the first
administrator of an organisation without one (`flask orgs waiting`, `invite-admin`,
`resend-invitation`, `withdraw-invitation`), `flask audit verify`."""
import click
from flask import current_app
from flask.cli import AppGroup

from commands.diagnose import EXIT_BAD_INPUT
from services import audit, first_admins, organisations
from services.access_vocabulary import KINDS
from services.errors import Conflict, InvalidInput, NotFound

orgs_cli = AppGroup("orgs", help="Organisations: centres, providers, bureaus, platforms.")
audit_cli = AppGroup("audit", help="The audit trail of outsiders' access to enterprise data.")


@orgs_cli.command("create")
@click.option("--kind", required=True, type=click.Choice(KINDS))
@click.option("--name", required=True)
@click.option("--admin", "admin_email", help="E-mail of its first admin (joins at once if the "
              "account exists, else an invitation link is printed).")
@click.option("--district", "districts", multiple=True, help="Bureaus: a district in scope "
              "(repeat; none = the whole city).")
@click.option("--industry", "industries", multiple=True, help="Bureaus: a GB/T 4754 门类 or "
              "大类 code in scope (repeat; none = every industry).")
@click.option("--provider", "provider_ref", help="Providers: the catalogue provider id.")
@click.option("--review-required", is_flag=True, help="Centres: a second person reviews "
              "before signing.")
@click.option("--follow-up-months", type=int, help="Centres: months from a baseline to its "
              "follow-up (default 6).")
@click.option("--contact-person")
@click.option("--phone")
@click.option("--email")
@click.option("--address")
@click.option("--website")
def create(**options):
    """Create an organisation; bad values exit 2 naming every problem, nothing written."""
    ref = organisations.reference(current_app.config)
    data = {k: v for k, v in options.items() if v not in (None, (), False)}
    try:
        created = organisations.create(organisations.OPERATOR, data, ref,
                                       invitation_days=current_app.config["INVITATION_DAYS"])
    except organisations.OrganisationInvalid as err:
        for field, code in err.problems.items():
            click.echo(f"{field}: {code}", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    except Conflict as err:
        click.echo(f"refused: {err.code}", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    click.echo(f"organisation {created.id} created: {options['kind']} {options['name']}")
    if created.admin_added:
        click.echo(f"{options['admin_email']} is its admin")
    if created.invitation_token:
        click.echo(_link_line(options["admin_email"], created.invitation_token))


@orgs_cli.command("list")
def list_():
    """Every organisation: id, kind, status, staff count, name."""
    for org in organisations.all_organisations(organisations.OPERATOR):
        click.echo(f"{org['id']:>5}  {org['kind']:<9} {org['status']:<8} "
                   f"{org['staff']:>3} staff  {org['name']}")


def _link_line(email: str, token: str) -> str:
    return f"{email} has no account yet; invitation link (path): /org/invitation/{token}"


@orgs_cli.command("waiting")
def waiting():
    """Organisations without an admin, with their admin invitations (id, state, e-mail)."""
    for org in first_admins.waiting(organisations.OPERATOR):
        click.echo(f"{org['id']:>5}  {org['name']}")
        for i in org["invitations"]:
            until = f" until {i['expires_at']:%Y-%m-%d}" if i["state"] == "pending" else ""
            click.echo(f"       invitation {i['id']}: {i['email']} {i['state']}{until}")
        if not org["invitations"]:
            click.echo("       no invitation (flask orgs invite-admin)")


def _refused(err) -> None:
    click.echo("refused: " + ("not_found (no such invitation of an organisation without "
                              "an admin)" if isinstance(err, NotFound) else err.code), err=True)
    raise SystemExit(EXIT_BAD_INPUT)


@orgs_cli.command("invite-admin")
@click.argument("organisation_id", type=int)
@click.argument("email")
def invite_admin(organisation_id, email):
    """Give an organisation without an admin its first one (an existing account joins at
    once, anyone else gets an invitation link)."""
    try:
        created = first_admins.invite(organisations.OPERATOR, organisation_id, email,
                                      current_app.config["INVITATION_DAYS"])
    except (NotFound, InvalidInput, Conflict) as err:
        _refused(err)
    if created.admin_added:
        click.echo(f"{email.strip().lower()} is its admin")
    else:
        click.echo(_link_line(email.strip().lower(), created.invitation_token))


@orgs_cli.command("resend-invitation")
@click.argument("organisation_id", type=int)
@click.argument("invitation_id", type=int)
def resend_invitation(organisation_id, invitation_id):
    """Send a first-admin invitation again: a new link; the old one stops working."""
    try:
        email, token = first_admins.resend(organisations.OPERATOR, organisation_id,
                                           invitation_id, current_app.config["INVITATION_DAYS"])
    except (NotFound, InvalidInput, Conflict) as err:
        _refused(err)
    click.echo(_link_line(email, token))


@orgs_cli.command("withdraw-invitation")
@click.argument("organisation_id", type=int)
@click.argument("invitation_id", type=int)
def withdraw_invitation(organisation_id, invitation_id):
    """Withdraw a first-admin invitation; its link stops working."""
    try:
        first_admins.withdraw(organisations.OPERATOR, organisation_id, invitation_id)
    except (NotFound, InvalidInput, Conflict) as err:
        _refused(err)
    click.echo(f"invitation {invitation_id} withdrawn")


@audit_cli.command("verify")
def verify():
    """Check the audit chain: exit 0 with the count, or 1 naming the first broken record."""
    result = audit.verify()
    if result.ok:
        click.echo(f"audit chain verified: {result.count} records")
        return
    where = (f"record id {result.broken_id} (position {result.broken_seq})"
             if result.broken_id is not None else "the chain's end")
    click.echo(f"audit chain broken at {where}: {result.problem}; "
               f"{result.count} records before it verify", err=True)
    raise SystemExit(1)
