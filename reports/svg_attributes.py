"""Matplotlib's SVG styles elements through `style` attributes and a `<style>` element; a page
whose Content-Security-Policy allows no inline style would drop them all (black, unstyled
charts). The same properties exist as SVG presentation attributes, which no policy blocks and
WeasyPrint reads too, so the charts carry those instead."""
import re
from xml.sax.saxutils import quoteattr

_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>", re.S)
_PROPERTY = re.compile(r"^[a-z-]+$")


def _attributes(declarations: str) -> str:
    parts = []
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value and _PROPERTY.match(name):
            parts.append(f" {name}={quoteattr(value)}")
    return "".join(parts)


def presentation_attributes(svg: str) -> str:
    """`svg` with every style attribute turned into presentation attributes, and the
    catch-all `* {...}` style element into attributes of the root (inherited)."""
    defaults = ""
    found = _STYLE_ELEMENT.search(svg)
    if found:
        defaults = _attributes(found.group(1))
        svg = svg[:found.start()] + svg[found.end():]
    svg = _STYLE_ATTR.sub(lambda m: _attributes(m.group(1).replace("&quot;", '"')), svg)
    if defaults:
        svg = re.sub(r"<svg\b", lambda m: m.group(0) + defaults, svg, count=1)
    return svg
