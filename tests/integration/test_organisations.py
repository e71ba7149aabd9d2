"""Organisations and their staff: created by administrators (page or command line), validated
whole; staff invited by e-mail (the link works only for that address, once) and removed; the
signed-in person carries their organisations."""
import pytest
from sqlalchemy import func, select

from services import organisations, staff
from services.accounts import load_account
from services.errors import Conflict, InvalidInput, NotFound
from storage.organisation_models import Organisation, OrgMembership, StaffInvitation
from tests.organisation_helpers import account, make_org, staff_user


def _count(db, model):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def _create(app, actor=organisations.OPERATOR, **data):
    with app.app_context():
        return organisations.create(actor, data, organisations.reference(app.config))


@pytest.mark.parametrize("data, problems", [
    ({"kind": "club", "name": ""}, {"kind": "kind_unknown", "name": "name_required"}),
    ({"kind": "centre", "name": "x" * 201, "email": "no-at-sign", "phone": "call me",
      "website": "www.example.com"},
     {"name": "name_too_long", "email": "email_format", "phone": "phone_format",
      "website": "website_format"}),
    ({"kind": "centre", "name": "C", "districts": ["芝罘区"], "provider_ref": "p001"},
     {"districts": "scope_only_bureau", "provider_ref": "provider_ref_only_provider"}),
    ({"kind": "bureau", "name": "B", "districts": ["火星区"], "industries": "C, Q99, zz",
      "follow_up_months": 6},
     {"districts": "district_unknown", "industries": "industry_unknown",
      "follow_up_months": "settings_only_centre"}),
    ({"kind": "centre", "name": "C", "follow_up_months": "0"},
     {"follow_up_months": "follow_up_range"}),
    ({"kind": "centre", "name": "C", "follow_up_months": "six"},
     {"follow_up_months": "follow_up_range"}),
    ({"kind": "provider", "name": "P"}, {"provider_ref": "provider_ref_required"}),
    ({"kind": "provider", "name": "P", "provider_ref": "p999"},
     {"provider_ref": "provider_unknown"}),
    ({"kind": "centre", "name": "C", "admin_email": "not an address"},
     {"admin_email": "email_format"}),
    ({"kind": "centre", "name": "中心\x1b[31m", "address": "\u202e地址", "admin_email": "a\x00@b.cn"},
     {"name": "control_characters", "address": "control_characters",
      "admin_email": "email_format"}),
])
def test_bad_organisation_data_is_refused_whole(app, db, data, problems):
    with pytest.raises(organisations.OrganisationInvalid) as refused:
        _create(app, **data)
    assert refused.value.problems == problems
    assert _count(db, Organisation) == 0


def test_an_organisation_keeps_its_scope_settings_and_provider(app, db):
    bureau = _create(app, kind="bureau", name="芝罘区工业和信息化局", districts=["芝罘区"],
                     industries="c36，I65 C36")
    centre = _create(app, kind="centre", name="中心", review_required=True, follow_up_months="12")
    provider = _create(app, kind="provider", name="服务商", provider_ref="p001")
    rows = {o.id: o for o in db.scalars(select(Organisation))}
    assert rows[bureau.id].scope == {"districts": ["芝罘区"], "industries": ["C36", "I65"]}
    assert rows[centre.id].settings == {"review_required": True, "follow_up_months": 12}
    assert rows[centre.id].scope == {} and rows[provider.id].provider_ref == "p001"
    assert _create(app, kind="centre", name="默认").id  # defaults: no review, 6 months
    assert db.scalar(select(Organisation.settings).where(Organisation.name == "默认")) == \
        {"review_required": False, "follow_up_months": 6}


def test_names_and_providers_are_not_taken_twice(app, db):
    _create(app, kind="provider", name="服务商", provider_ref="p001")
    with pytest.raises(Conflict, match="name_taken"):
        _create(app, kind="provider", name="服务商", provider_ref="p002")
    with pytest.raises(Conflict, match="provider_taken"):
        _create(app, kind="provider", name="另一家", provider_ref="p001")
    assert _create(app, kind="centre", name="服务商").id  # another kind may share the name
    assert _count(db, Organisation) == 2


def test_only_administrators_create_and_list(app, db, make_user, sme_user):
    admin = account(app, make_user(roles=("administrator",), enterprise=None))
    assert _create(app, admin, kind="centre", name="管理员建的中心").id
    for person in (account(app, sme_user), None):
        with pytest.raises(NotFound):
            _create(app, person, kind="centre", name="不该有")
        with app.app_context(), pytest.raises(NotFound):
            organisations.all_organisations(person)
    assert _count(db, Organisation) == 1


def test_the_first_admin_joins_at_once_or_is_invited(app, db, make_user):
    existing = make_user(enterprise=None, roles=())
    joined = _create(app, kind="bureau", name="局", admin_email=existing.email.upper())
    invited = _create(app, kind="centre", name="中心", admin_email="new-admin@example.com")
    assert joined.admin_added and joined.invitation_token is None
    assert invited.invitation_token and not invited.admin_added
    assert db.scalar(select(OrgMembership.role).where(OrgMembership.user_id == existing.id)) == \
        "bureau_admin"
    row = db.scalar(select(StaffInvitation))
    assert (row.email, row.role, row.organisation_id) == ("new-admin@example.com",
                                                          "centre_admin", invited.id)


def test_the_command_line_creates_and_lists_organisations(app, runner, db):
    result = runner.invoke(args=["orgs", "create", "--kind", "bureau", "--name", "芝罘区工信局",
                                 "--district", "芝罘区", "--industry", "C"])
    assert result.exit_code == 0, result.output
    assert "organisation 1 created: bureau 芝罘区工信局" in result.output
    bad = runner.invoke(args=["orgs", "create", "--kind", "centre", "--name", "中心",
                              "--district", "芝罘区", "--admin", "x"])
    assert bad.exit_code == 2
    assert "districts: scope_only_bureau" in bad.output and "admin_email: email_format" in bad.output
    again = runner.invoke(args=["orgs", "create", "--kind", "bureau", "--name", "芝罘区工信局"])
    assert again.exit_code == 2 and "name_taken" in again.output
    invited = runner.invoke(args=["orgs", "create", "--kind", "centre", "--name", "中心",
                                  "--admin", "boss@example.com"])
    assert "/org/invitation/" in invited.output
    listing = runner.invoke(args=["orgs", "list"])
    assert "芝罘区工信局" in listing.output and "中心" in listing.output
    assert _count(db, Organisation) == 2


# --- staff -----------------------------------------------------------------------------------

@pytest.fixture
def centre(app, make_user):
    org = make_org(app, "centre", name="中心")
    admin = staff_user(app, make_user, org, "centre_admin")
    return org, admin


def _invite(app, admin, org, email, role="consultant"):
    with app.app_context():
        return staff.invite(account(app, admin), org, email, role, days=7)


def test_the_signed_in_person_carries_their_organisations(app, make_user, centre):
    org, admin = centre
    bureau = make_org(app, "bureau")
    from services.staff import add_member
    with app.app_context():
        add_member(bureau, admin.id, "bureau_analyst")
        person = load_account(admin.id)
    assert [(o.organisation_id, o.kind, o.role) for o in person.organisations] == [
        (org, "centre", "centre_admin"), (bureau, "bureau", "bureau_analyst")]
    assert person.org_role(bureau) == "bureau_analyst" and person.org_role(999) is None


def test_an_invitation_makes_a_new_account_with_the_invited_address(app, db, centre):
    org, admin = centre
    token = _invite(app, admin, org, "New.Consultant@Example.com")
    with app.app_context():
        info = staff.invitation_info(token)
        user_id = staff.accept(token, name="新顾问", password="correct horse battery")
        assert load_account(user_id).email == "new.consultant@example.com"
        assert load_account(user_id).org_role(org) == "consultant"
        with pytest.raises(InvalidInput, match="invitation_invalid"):  # once only
            staff.accept(token, name="X", password="correct horse battery")
    assert info["email"] == "new.consultant@example.com" and not info["has_account"]


def test_an_invitation_works_only_for_the_address_it_was_sent_to(app, db, make_user, centre):
    org, admin = centre
    invited, someone_else = make_user(enterprise=None, roles=()), make_user()
    token = _invite(app, admin, org, invited.email)
    with app.app_context():
        with pytest.raises(InvalidInput, match="invitation_other_address"):
            staff.accept(token, actor=load_account(someone_else.id))
        with pytest.raises(InvalidInput, match="log_in_first"):  # the address has an account
            staff.accept(token, name="冒名", password="correct horse battery")
        assert load_account(someone_else.id).organisations == ()
        staff.accept(token, actor=load_account(invited.id))
        assert load_account(invited.id).org_role(org) == "consultant"


def test_bad_invitations_are_refused(app, db, make_user, centre):
    org, admin = centre
    consultant = staff_user(app, make_user, org)
    with pytest.raises(InvalidInput, match="email_format"):
        _invite(app, admin, org, "nobody")
    with pytest.raises(InvalidInput, match="role_unknown"):
        _invite(app, admin, org, "x@example.com", role="bureau_analyst")  # not a centre role
    with pytest.raises(Conflict, match="already_staff"):
        _invite(app, admin, org, consultant.email)
    with pytest.raises(NotFound):  # consultants do not invite staff
        _invite(app, consultant, org, "x@example.com")
    assert _count(db, StaffInvitation) == 0


def test_an_expired_invitation_does_nothing(app, db, centre):
    from datetime import timedelta

    org, admin = centre
    token = _invite(app, admin, org, "late@example.com")
    row = db.scalar(select(StaffInvitation))
    row.expires_at = row.expires_at - timedelta(days=8)
    db.commit()
    with app.app_context():
        assert staff.invitation_info(token) is None
        with pytest.raises(InvalidInput, match="invitation_invalid"):
            staff.accept(token, name="迟到", password="correct horse battery")


def test_admins_remove_staff_but_never_the_last_admin(app, db, make_user, centre):
    org, admin = centre
    consultant = staff_user(app, make_user, org)
    memberships = dict(db.execute(select(OrgMembership.user_id, OrgMembership.id)).all())
    with app.app_context():
        with pytest.raises(NotFound):  # a consultant cannot remove anyone
            staff.remove(account(app, consultant), org, memberships[admin.id])
        with pytest.raises(Conflict, match="last_admin"):
            staff.remove(account(app, admin), org, memberships[admin.id])
        other_org = make_org(app, "centre")
        other_admin = staff_user(app, make_user, other_org, "centre_admin")
        with pytest.raises(NotFound):  # another centre's admin
            staff.remove(account(app, other_admin), org, memberships[consultant.id])
        staff.remove(account(app, admin), org, memberships[consultant.id])
        assert load_account(consultant.id).organisations == ()


def test_the_command_line_resends_or_withdraws_a_lost_first_admin_invitation(app, runner, db):
    created = runner.invoke(args=["orgs", "create", "--kind", "centre", "--name", "无管理员中心",
                                  "--admin", "boss@example.com"])
    old = created.output.split("(path): ")[1].strip()
    org = db.scalar(select(Organisation.id))
    row = db.scalar(select(StaffInvitation))
    listing = runner.invoke(args=["orgs", "waiting"])
    assert f"invitation {row.id}: boss@example.com pending until" in listing.output
    again = runner.invoke(args=["orgs", "resend-invitation", str(org), str(row.id)])
    assert again.exit_code == 0 and "/org/invitation/" in again.output
    new = again.output.split("(path): ")[1].strip()
    client = app.test_client()
    assert new != old and client.get(old).status_code == 302 and client.get(new).status_code == 200
    gone = runner.invoke(args=["orgs", "withdraw-invitation", str(org), str(row.id)])
    assert gone.exit_code == 0 and client.get(new).status_code == 302
    assert "withdrawn" in runner.invoke(args=["orgs", "waiting"]).output
    other = runner.invoke(args=["orgs", "invite-admin", str(org), "second@example.com"])
    assert other.exit_code == 0 and "/org/invitation/" in other.output
    unknown = runner.invoke(args=["orgs", "resend-invitation", str(org), "99999"])
    assert unknown.exit_code == 2 and "not_found" in unknown.output
    bad = runner.invoke(args=["orgs", "invite-admin", str(org), "nobody"])
    assert bad.exit_code == 2 and "email_format" in bad.output
    db.expire_all()
    assert _count(db, StaffInvitation) == 2


def test_the_signed_in_person_comes_with_roles_memberships_and_active_organisations_in_one_query(
        app, make_user, sme_user):
    from sqlalchemy import event

    from services.org_roles import OrgRole
    from storage.db import db_session, get_engine, transaction
    from tests.organisation_helpers import add_staff

    centre, bureau, closed = make_org(app, "centre"), make_org(app, "bureau"), make_org(app, "centre")
    person = make_user(roles=("sme_user", "administrator"))
    for org, role in ((bureau, "bureau_analyst"), (centre, "consultant"), (closed, "consultant")):
        add_staff(app, org, person, role)
    statements = []
    with app.app_context():
        with transaction():
            db_session.get(Organisation, closed).status = "inactive"
        engine = get_engine()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            loaded = load_account(person.id)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert loaded.roles == {"sme_user", "administrator"}
    assert loaded.memberships == ((person.enterprise_id, "owner"),)
    assert loaded.organisations == (OrgRole(bureau, "bureau", "bureau_analyst"),
                                    OrgRole(centre, "centre", "consultant"))
