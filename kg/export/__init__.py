"""Export the stored graph: interactive HTML views and files for other tools.

``read_graph`` loads papers, entities and their links; ``build_view`` turns them into
one of the views (overlap, concepts, bipartite, ego) with its filters; ``read_map`` selects
the concept map of a big graph in the database (``read_view`` picks it above
OVERVIEW_PAPERS papers); ``write_html``
and ``write_file`` write that view.
"""

from kg.export.files import FILE_FORMATS, write_file
from kg.export.graph import from_rows, read_graph
from kg.export.html import COLOURINGS, SIZINGS, TYPE_COLOURS, ViewStats, render_html, write_html
from kg.export.overview import OVERVIEW_PAPERS, read_map
from kg.export.views import (
    AUTO_VIEW,
    DEFAULT_VIEW,
    VIEW_TYPES,
    VIEWS,
    ViewSpec,
    build_view,
    read_view,
    resolve_view,
)

__all__ = [
    "AUTO_VIEW",
    "COLOURINGS",
    "DEFAULT_VIEW",
    "FILE_FORMATS",
    "OVERVIEW_PAPERS",
    "SIZINGS",
    "TYPE_COLOURS",
    "VIEWS",
    "VIEW_TYPES",
    "ViewSpec",
    "ViewStats",
    "build_view",
    "from_rows",
    "read_graph",
    "read_map",
    "read_view",
    "render_html",
    "resolve_view",
    "write_file",
    "write_html",
]
