"""Export the stored graph: interactive HTML views and files for other tools.

``read_graph`` loads papers, entities and their links; ``build_view`` turns them into
one of the views (overlap, concepts, bipartite, ego) with its filters; ``write_html``
and ``write_file`` write that view.
"""

from kg.export.files import FILE_FORMATS, write_file
from kg.export.graph import from_rows, read_graph
from kg.export.html import COLOURINGS, SIZINGS, TYPE_COLOURS, ViewStats, render_html, write_html
from kg.export.views import DEFAULT_VIEW, VIEW_TYPES, VIEWS, ViewSpec, build_view, read_view

__all__ = [
    "COLOURINGS",
    "DEFAULT_VIEW",
    "FILE_FORMATS",
    "SIZINGS",
    "TYPE_COLOURS",
    "VIEWS",
    "VIEW_TYPES",
    "ViewSpec",
    "ViewStats",
    "build_view",
    "from_rows",
    "read_graph",
    "read_view",
    "render_html",
    "write_file",
    "write_html",
]
