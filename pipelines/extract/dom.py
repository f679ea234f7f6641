"""Helpers over plain lxml elements (``lxml.etree``), equal to lxml.html's methods.

The page is parsed with a plain ``etree.HTMLParser``: lxml.html's parser looks
up a Python element class for every element it hands out, which costs more
than the extraction's own work on some pages. These helpers do what
``HtmlElement.text_content()``, ``.drop_tree()`` and ``.body`` do, and accept
either kind of element.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from pipelines.extract.xpaths import STRING

_PARSER = etree.HTMLParser()
_XHTML_BODY = "{http://www.w3.org/1999/xhtml}body"


def text_content(element) -> str:
    """``HtmlElement.text_content()``: the text of the element and its descendants."""
    return STRING(element)


def drop_tree(element) -> None:
    """``HtmlElement.drop_tree()``: remove the element and its children; its tail joins
    the previous sibling or the parent."""
    parent = element.getparent()
    assert parent is not None
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def body_of(element):
    """``HtmlElement.body``: the document's first ``<body>`` (None without one)."""
    for body in element.getroottree().iter("body", _XHTML_BODY):
        return body
    return None


def document_iter(element, *tags):
    """The elements of ``element``'s whole document in document order, as ``//*``
    (or ``//h1`` for ``tags=("h1",)``) finds them: libxml2 puts what follows a
    closing ``</html>`` in more top-level elements, siblings of the root."""
    root = element.getroottree().getroot()
    tags = tags or (etree.Element,)
    if root.getnext() is None and root.getprevious() is None:
        return root.iter(*tags)
    tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    return (found for top in tops for found in top.iter(*tags))


def fromstring(html: str):
    """``lxml.html.fromstring(html)`` with plain lxml elements."""
    try:
        return lxml_html.fromstring(html, parser=_PARSER)
    except AttributeError:  # several <body>s: lxml.html merges them with HtmlElement.drop_tree
        return lxml_html.fromstring(html)
