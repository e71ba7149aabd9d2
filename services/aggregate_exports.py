"""The bureau tables as files: CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX.

Both take the plain table of services.aggregates.table; a suppressed figure is written as the
mark SUPPRESSED, never as 0 or an empty cell.
"""
import csv
import io


SUPPRESSED = "×"
NOTES = {
    "title": {"zh": "说明", "en": "Notes"},
    "instrument": {"zh": "评测工具及版本", "en": "Instrument and version"},
    "as_of": {"zh": "截至日期（各企业截至该日最近一次提交的评测）",
              "en": "As of (each enterprise's latest submitted assessment by that date)"},
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
    "all": {"zh": "全部", "en": "all"},
    "total": {"zh": "合计", "en": "Total"},
}


def _t(key, lang):
    return NOTES[key]["en" if lang == "en" else "zh"]


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


def notes(table, lang="zh"):
    filters = ", ".join(f"{key}={value}" for key, value in table["filters"].items()
                        if value and key != "as_of") or _t("all", lang)
    return [[_t("instrument", lang), f"{table['instrument']} {table['version']}"],
            [_t("as_of", lang), table["filters"]["as_of"]],
            [_t("filters", lang), filters],
            [_t("by", lang), ", ".join(table["by"])],
            [_t("k", lang), table["k"]],
            [_t("title", lang), _t("mark", lang)],
            ["", _t("method", lang)]]


def to_csv(table, lang="zh"):
    """CSV bytes, UTF-8 with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows(table, lang))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table, lang="zh"):
    """XLSX bytes: a sheet for the table and a notes sheet (filters, as-of date, version, k,
    what the marks mean)."""
    from openpyxl import Workbook  # (with numpy): loaded by the first spreadsheet

    book = Workbook(write_only=True)
    sheet = book.create_sheet("table")
    for row in rows(table, lang):
        sheet.append(row)
    info = book.create_sheet("notes")
    for row in notes(table, lang):
        info.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
