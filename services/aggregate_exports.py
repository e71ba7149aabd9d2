"""The bureau tables as files: CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX.

Both take the plain table of services.aggregates.table (the XLSX also the further figures'
sheets of services.figure_sheets); a suppressed figure is written as the mark SUPPRESSED,
never as 0 or an empty cell.
"""
import csv
import io

from services import bureau_names


SUPPRESSED = "×"
NOTES = {
    "title": {"zh": "说明", "en": "Notes"},
    "instrument": {"zh": "评测工具及版本", "en": "Instrument and version"},
    "as_of": {"zh": "截至日期（各企业截至该日最近一次提交的评测）",
              "en": "As of (each enterprise's latest submitted assessment by that date)"},
    "since": {"zh": "提交起始日期（只计该日至截至日期之间提交的评测）",
              "en": "Submitted from (only assessments submitted from this day to the as-of "
                    "date count)"},
    "filters": {"zh": "筛选条件", "en": "Filters"},
    "by": {"zh": "分组", "en": "Grouped by"},
    "k": {"zh": "最小单元 k", "en": "Threshold k"},
    "mark": {"zh": f"“{SUPPRESSED}”表示该数字被抑制：它来自少于 k 家企业，或可由其他公布的数字推算出"
                   "被抑制的数字（次级抑制）。被抑制的数字从不显示为 0。",
             "en": f"“{SUPPRESSED}” marks a suppressed figure: computed from fewer than k "
                   "enterprises, or one from which a suppressed figure could be worked out "
                   "(secondary suppression). A suppressed figure is never shown as 0."},
    "method": {"zh": "方法：阈值规则加次级抑制（对公布数字的线性关系进行精确推算审查），"
                     "详见 docs/disclosure.md。",
               "en": "Method: threshold rule plus secondary suppression audited for exact "
                     "disclosure through the published figures' linear relations; see "
                     "docs/disclosure.md."},
    "empty": {"zh": "空单元格表示没有可统计的数据（不是被抑制，也不是 0）。",
              "en": "An empty cell means there was nothing to count (neither suppressed nor 0)."},
    "sheets": {"zh": "工作表：table（各级企业数）、median（总分中位数）、dimensions（维度均分）、"
                     "indicators（指标均分）、heatmap（应用场景各级占比）、uplift（T0→T1 提升）、"
                     "demand（求助申请及默认方案中的方案模块）、providers（服务商成效）。",
               "en": "Sheets: table (enterprises by level), median (median total), dimensions "
                     "(dimension means), indicators (indicator means), heatmap (scenario "
                     "levels), uplift (T0→T1), demand (modules in help requests and default "
                     "plans), providers (provider outcomes)."},
    "all": {"zh": "全部", "en": "all"},
    "all_priorities": {"zh": "全部重点产业", "en": "All priority industries"},
    "total": {"zh": "合计", "en": "Total"},
}


def _t(key, lang, texts=NOTES):
    return texts[key]["en" if lang == "en" else "zh"]


def rows(table, lang="zh"):
    """Header and rows of one sheet: the cells, then each key's margins, then the total."""
    by, levels = table["by"], table["levels"]
    header = by + ["n", "suppressed"] + levels + ["mean_total"]
    out = [header]
    total_label = _t("total", lang)

    def line(entry):
        mark = SUPPRESSED if entry["suppressed"] else None
        level_counts = entry["levels"] or {}
        return ([entry.get(key, total_label) if key in entry else total_label for key in by]
                + [mark or entry["n"], "yes" if entry["suppressed"] else "no"]
                + [mark or _or_mark(level_counts.get(level)) for level in levels]
                + [mark or _or_mark(entry["mean_total"], empty_ok=True)])

    out += [line(cell) for cell in table["cells"]]
    for key in by if len(by) > 1 else ():  # one key: its margins are the cells
        out += [line(margin) for margin in table["margins"][key]]
    out.append(line(table["total"]))
    return out


def _or_mark(value, empty_ok=False):
    if value is None:
        return "" if empty_ok else SUPPRESSED
    return value


def notes(table, lang="zh", priorities=()):
    """The notes sheet's rows. `priorities`: the priority industry groups
    (services.reference.load_priority_industries), so a group is named, not shown by its id."""
    values = {**bureau_names.VALUES, "priority": {
        "all": NOTES["all_priorities"], **{group["id"]: group["name"] for group in priorities}}}
    filters = "; ".join(
        f"{_t(key, lang, bureau_names.FILTERS)}: "
        f"{_t(value, lang, values[key]) if value in values.get(key, ()) else value}"
        for key, value in table["filters"].items()
        if value and key not in ("as_of", "since")) or _t("all", lang)
    since = table["filters"].get("since")
    return [[_t("instrument", lang), f"{table['instrument']} {table['version']}"],
            [_t("as_of", lang), table["filters"]["as_of"]],
            *([[_t("since", lang), since]] if since else []),
            [_t("filters", lang), filters],
            [_t("by", lang), ", ".join(_t(key, lang, bureau_names.KEYS) for key in table["by"])],
            [_t("k", lang), table["k"]],
            [_t("title", lang), _t("mark", lang)],
            ["", _t("empty", lang)],
            ["", _t("method", lang)],
            ["", _t("sheets", lang)]]


def to_csv(table, lang="zh"):
    """CSV bytes of the table, UTF-8 with a byte order mark."""
    return csv_bytes(rows(table, lang))


def csv_bytes(sheet_rows):
    """CSV bytes of any sheet's rows, UTF-8 with a byte order mark (Excel reads Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(sheet_rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table, lang="zh", further=(), priorities=()):
    """XLSX bytes: a sheet for the table, one for each of `further` ([(name, rows)]) and a
    notes sheet (filters, as-of date, version, k, what the marks mean; `priorities` as in
    `notes`)."""
    from openpyxl import Workbook  # (with numpy): loaded by the first spreadsheet

    book = Workbook(write_only=True)
    for name, sheet_rows in [("table", rows(table, lang)), *further]:
        sheet = book.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    info = book.create_sheet("notes")
    for row in notes(table, lang, priorities):
        info.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
