"""The further figures in the bureau's downloads: a sheet each in the XLSX, a CSV each with
`table=`, read back and compared with the hand-counted population and the service's figures,
with the same suppression marks (never 0)."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from services import aggregates, bureau_figures, instrument_registry, organisations
from tests.figure_helpers import LAISHAN, ZHIFU, figure_population
from tests.organisation_helpers import make_org, staff_user

QUERY = "as_of=2026-06-30&rows=district&cols=district"
SHEETS = ["table", "median", "dimensions", "indicators", "heatmap", "uplift", "demand",
          "providers", "notes"]


@pytest.fixture
def analyst(app, make_user, login_as):
    figure_population(app)
    return login_as(staff_user(app, make_user, make_org(app, "bureau", name="市工信局"),
                               "bureau_analyst"))


def _service_figures(app, **raw):
    with app.app_context():
        query = aggregates.parse({"instrument": "cn-sme-2024", "by": "district",
                                  "as_of": "2026-06-30", **raw},
                                 organisations.reference(app.config),
                                 instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"]),
                                 date.today())
        return bureau_figures.for_settings(query, None, app.config)


def _book(client, query=QUERY):
    reply = client.get(f"/bureau/export.xlsx?{query}")
    assert reply.status_code == 200
    book = load_workbook(io.BytesIO(reply.data))
    return {name: [list(row) for row in book[name].iter_rows(values_only=True)]
            for name in book.sheetnames}


def _csv(client, table, query=QUERY):
    reply = client.get(f"/bureau/export.csv?{query}&table={table}")
    assert reply.status_code == 200 and reply.data.startswith(b"\xef\xbb\xbf")
    if table != "table":
        assert f"_{table}.csv" in reply.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(reply.data.decode("utf-8-sig"))))


def _number(cell):
    """A cell as read from either file: numbers compared as numbers, empty as ""."""
    if cell is None:
        return ""
    try:
        return float(cell)
    except ValueError:
        return cell


def _by_id(rows):
    header = rows[0]
    return {row[0]: dict(zip(header, row)) for row in rows[1:]}


def test_the_workbook_has_a_sheet_per_figure_with_the_hand_counted_values(app, analyst):
    book = _book(analyst)
    assert list(book) == SHEETS
    assert book["median"] == [["n", "median"], [10, 55]]
    dims = _by_id(book["dimensions"])
    assert [row[0] for row in book["dimensions"][1:]] == ["management", "foundation", "outcomes"]
    assert dims["management"] == {"id": "management", "title": dims["management"]["title"],
                                  "n": 10, "mean": 6, "max": 30, "percent": 20}
    assert dims["management"]["title"] and dims["management"]["title"] != "management"
    inds = _by_id(book["indicators"])
    assert (inds["equipment"]["mean"], inds["equipment"]["percent"]) == (1, 10)
    # an indicator nobody answered: empty cells, neither × nor 0
    assert len(inds) == 9 and sum(1 for row in inds.values() if row["n"] == 0) == 7
    assert all(row["mean"] is None for row in inds.values() if row["n"] == 0)
    heat = _by_id(book["heatmap"])
    design = heat["product_design"]
    # four at level 0 are too few; six at level 2 would give them away
    assert [design[f"level{lv}_n"] for lv in range(5)] == ["×", 0, "×", 0, 0]
    assert [heat["marketing"][f"level{lv}_share"] for lv in range(5)] == [0, 50, 0, 50, 0]
    assert heat["quality"]["n"] == "×" and heat["quality"]["level4_n"] == "×"
    assert heat["finance"]["n"] == 0 and heat["finance"]["level0_share"] is None
    assert book["uplift"] == [["pairs", "up", "share_up", "mean_points", "mean_levels"],
                              [6, "×", "×", 10, 0.67]]
    demand = [row[:3] + row[4:] for row in book["demand"]]
    assert demand == [["source", "category", "module", "enterprises"],
                      ["help_requests", "equipment", "iot-retrofit", "×"],
                      ["help_requests", "infrastructure", "net-basic", 6],
                      ["plans", "equipment", "iot-retrofit", "×"],
                      ["plans", "infrastructure", "net-basic", 7]]
    assert book["providers"] == [["provider", "name", "accepted", "accepted_share",
                                  "assessed_pairs", "median_level_uplift",
                                  "median_point_uplift", "median_satisfaction"]]
    notes = "\n".join(str(cell) for row in book["notes"] for cell in row if cell)
    assert "×" in notes and "空单元格" in notes and "heatmap" in notes


def test_each_csv_matches_its_sheet_and_the_service_figures(app, analyst):
    book = _book(analyst)
    figures = _service_figures(app)
    for name in SHEETS:
        assert [[_number(cell) for cell in row] for row in _csv(analyst, name)] == \
            [[_number(cell) for cell in row] for row in book[name]], name
    dims = _by_id(_csv(analyst, "dimensions"))
    for row in figures["dimensions"]:
        assert dims[row["id"]]["mean"] == str(row["mean"])
        assert dims[row["id"]]["title"] == row["title"]["zh"]
    assert _csv(analyst, "median")[1] == [str(figures["median"]["n"]),
                                          str(figures["median"]["median"])]
    # the level table stays the default download
    plain = analyst.get(f"/bureau/export.csv?{QUERY}")
    assert plain.data.decode("utf-8-sig").splitlines()[0].startswith("district,n,suppressed")


def test_a_small_selection_writes_marks_and_english_titles(app, analyst):
    analyst.post("/auth/language", data={"locale": "en"})
    book = _book(analyst, f"as_of=2026-06-30&district={ZHIFU}")
    assert book["median"] == [["n", "median"], ["×", "×"]]
    dims = _by_id(book["dimensions"])
    assert all(row["mean"] == "×" and row["n"] == "×" for row in dims.values())
    titles = {row["id"]: row["title"] for row in _service_figures(app)["dimensions"]}
    assert dims["management"]["title"] == titles["management"]["en"]
    # no pairs at all: a true 0, and no share or mean (empty, not suppressed)
    assert book["uplift"][1] == [0, 0, None, None, None]
    assert _by_id(_csv(analyst, "median", f"as_of=2026-06-30&district={LAISHAN}"))


def test_an_unknown_csv_table_is_named_and_nothing_is_written(app, analyst):
    reply = analyst.get(f"/bureau/export.csv?{QUERY}&table=secrets")
    assert reply.status_code == 400
    assert reply.get_data(as_text=True).startswith("table: 未知的表：secrets")
    analyst.post("/auth/language", data={"locale": "en"})
    assert "Unknown table: secrets" in analyst.get(
        f"/bureau/export.csv?{QUERY}&table=secrets").get_data(as_text=True)


def test_outsiders_get_404_for_every_figure_file(app, make_user, login_as, client, analyst):
    assert client.get(f"/bureau/export.csv?{QUERY}&table=median").status_code == 404
    sme = login_as(make_user(), client=app.test_client())
    assert sme.get(f"/bureau/export.csv?{QUERY}&table=dimensions").status_code == 404
    centre = make_org(app, "centre")
    other = login_as(staff_user(app, make_user, centre, "consultant"), client=app.test_client())
    assert other.get(f"/bureau/export.xlsx?{QUERY}").status_code == 404
    laishan = make_org(app, "bureau", name="莱山区工信局", districts=[LAISHAN])
    district = login_as(staff_user(app, make_user, laishan, "bureau_analyst"),
                        client=app.test_client())
    assert district.get(f"/bureau/export.csv?{QUERY}&table=median&district={ZHIFU}"
                        ).status_code == 400
    # within its district: 莱山区's seven firms, 10 … 70, median 40
    assert _csv(district, "median") == [["n", "median"], ["7", "40"]]
