"""`page`/`per_page` pagination with an RFC 8288 `Link` header (first, prev, next, last)."""
from urllib.parse import urlencode

from flask import jsonify, request


def page_of(items: list, page: int, per_page: int) -> list:
    start = (page - 1) * per_page
    return items[start:start + per_page]


def paged_response(all_items: list, query, shape=lambda item: item):
    """JSON {items, page, per_page, total} for one page of `all_items`, with a Link header."""
    total = len(all_items)
    body = {"items": [shape(i) for i in page_of(all_items, query.page, query.per_page)],
            "page": query.page, "per_page": query.per_page, "total": total}
    reply = jsonify(body)
    last = max(1, -(-total // query.per_page))
    links = {"first": 1, "last": last}
    if query.page > 1:
        links["prev"] = min(query.page - 1, last)
    if query.page < last:
        links["next"] = query.page + 1
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    reply.headers["Link"] = ", ".join(
        f'<{request.base_url}?{urlencode({**args, "page": n, "per_page": query.per_page})}>; '
        f'rel="{rel}"' for rel, n in links.items())
    return reply
