"""Account administration: administrators list, search and page through accounts, disable and
re-enable them and end their sessions; nobody else reaches any of it (404), bad input is 400."""
import pytest
from sqlalchemy import select

from storage.account_models import UserSession
from storage.models import User
from tests.helpers import login
from tests.organisation_helpers import add_staff, make_org, staff_user


@pytest.fixture
def admin(make_user):
    return make_user("root@platform.example", roles=("administrator",), enterprise=None,
                     name="管理员")


@pytest.fixture
def admin_client(admin, login_as):
    return login_as(admin)


def test_administrators_find_accounts_by_email_or_name(admin_client, make_user):
    make_user("wang@example.com", name="王丽")
    make_user("li@example.com", name="李强")
    page = admin_client.get("/accounts/?q=王").get_data(as_text=True)
    assert "wang@example.com" in page and "li@example.com" not in page
    page = admin_client.get("/accounts/?q=LI@EXAMPLE").get_data(as_text=True)
    assert "li@example.com" in page and "wang@example.com" not in page
    assert "共找到 1 个账号" in page
    # Wildcards are searched as text.
    assert "共找到 0 个账号" in admin_client.get("/accounts/?q=%25").get_data(as_text=True)


def test_the_list_is_paged(admin_client, make_user, app):
    from services import account_admin
    for n in range(account_admin.PER_PAGE + 2):
        make_user(f"p{n:02d}@example.com", enterprise=None)
    first = admin_client.get("/accounts/").get_data(as_text=True)
    second = admin_client.get("/accounts/?page=2").get_data(as_text=True)
    assert "第 1 页，共 2 页" in first and "p00@example.com" in first
    assert "第 2 页，共 2 页" in second and "p00@example.com" not in second
    assert "root@platform.example" in second  # sorted by e-mail: "r" after "p"
    assert admin_client.get("/accounts/?page=99").status_code == 200  # the last page
    assert admin_client.get("/accounts/?page=x").status_code == 400
    assert admin_client.get("/accounts/?q=" + "x" * 201).status_code == 400


def test_disabling_an_account_ends_its_sessions_and_refuses_sign_in(admin_client, app, sme_user,
                                                                  login_as, db):
    their = login_as(sme_user)
    response = admin_client.post(f"/accounts/{sme_user.id}/disable", data={"q": "user"})
    assert response.status_code == 302 and "q=user" in response.location
    assert their.get("/assess/").status_code == 302
    assert login(app.test_client(), sme_user.email).status_code == 200
    assert db.scalar(select(User.is_active).where(User.id == sme_user.id)) is False

    admin_client.post(f"/accounts/{sme_user.id}/enable")
    assert login(app.test_client(), sme_user.email).status_code == 302


def test_ending_someones_sessions_signs_them_out_everywhere(admin_client, sme_user, login_as, db):
    phone, laptop = login_as(sme_user), login_as(sme_user)
    page = admin_client.get("/accounts/?q=" + sme_user.email).get_data(as_text=True)
    assert "2 个登录会话" in page
    admin_client.post(f"/accounts/{sme_user.id}/end-sessions")
    assert phone.get("/assess/").status_code == 302 and laptop.get("/assess/").status_code == 302
    assert db.scalar(select(UserSession.id).where(UserSession.user_id == sme_user.id)) is None
    assert login(phone, sme_user.email).status_code == 302  # the account itself still works


def test_administrators_cannot_disable_themselves(admin_client, admin):
    response = admin_client.post(f"/accounts/{admin.id}/disable", follow_redirects=True)
    assert "不能停用您自己的账号" in response.get_data(as_text=True)
    assert admin_client.get("/accounts/").status_code == 200


ROUTES = [("get", "/accounts/"), ("post", "/accounts/{id}/disable"),
          ("post", "/accounts/{id}/enable"), ("post", "/accounts/{id}/end-sessions")]


@pytest.mark.parametrize("method, path", ROUTES)
def test_nobody_but_administrators_reaches_account_administration(app, sme_client, sme_user,
                                                                  other_sme_user, make_user,
                                                                  login_as, db, method, path):
    staff = login_as(make_user(roles=("consultant", "centre_admin", "bureau_analyst"),
                               enterprise=None))
    url = path.format(id=other_sme_user.id)
    for client in (sme_client, staff):
        assert getattr(client, method)(url).status_code == 404
    signed_out = getattr(app.test_client(), method)(url)
    assert signed_out.status_code == 302 and "/auth/login" in signed_out.location
    assert db.scalar(select(User.is_active).where(User.id == other_sme_user.id)) is True


@pytest.mark.parametrize("action", ["disable", "enable", "end-sessions"])
def test_unknown_or_huge_ids_answer_404(admin_client, action):
    assert admin_client.post(f"/accounts/999999/{action}").status_code == 404
    assert admin_client.post(f"/accounts/{2**63}/{action}").status_code == 404


def test_the_menu_shows_accounts_to_administrators_only(admin_client, sme_client):
    assert 'href="/accounts/"' in admin_client.get("/accounts/").get_data(as_text=True)
    assert 'href="/accounts/"' not in sme_client.get("/assess/").get_data(as_text=True)


def test_the_page_speaks_english_too(admin_client):
    admin_client.post("/auth/language", data={"locale": "en"})
    page = admin_client.get("/accounts/").get_data(as_text=True)
    assert "Search by e-mail or name" in page and "Administrator" in page




def _facts(page, email):
    """The line of facts under one account in the list."""
    return page.split(f'<span class="email">{email}</span>')[1].split("</p>")[1]


def test_staff_of_organisations_show_their_role_there(admin_client, app, make_user):
    provider = make_org(app, "provider", name="达莱集团")
    centre = make_org(app, "centre", name="促进中心")
    seller = staff_user(app, make_user, provider, role="provider_staff")
    both = make_user(roles=("consultant",), enterprise=None)
    add_staff(app, centre, both, "reviewer")
    nobody = make_user(roles=(), enterprise=None)

    page = admin_client.get("/accounts/").get_data(as_text=True)
    assert "达莱集团的服务商人员" in _facts(page, seller.email)
    assert "咨询顾问, 促进中心的审核人" in _facts(page, both.email)
    assert "无角色" in _facts(page, nobody.email) and "无角色" not in _facts(page, seller.email)

    admin_client.post("/auth/language", data={"locale": "en"})
    page = admin_client.get("/accounts/").get_data(as_text=True)
    assert "Provider staff at 达莱集团" in _facts(page, seller.email)
    assert "Consultant, Reviewer at 促进中心" in _facts(page, both.email)
    assert "No role" in _facts(page, nobody.email)
