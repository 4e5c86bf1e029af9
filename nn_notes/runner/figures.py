"""The site's figure style and the light and dark SVG variants of a figure.

A figure is drawn once; its dark variant is made by recolouring the neutral (grey-scale)
colours of the finished figure, so data colours stay as the author chose them and the
snippet never runs twice.
"""

from __future__ import annotations

import colorsys
import io

import matplotlib
from matplotlib.collections import Collection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

SITE_STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.4,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "svg.hashsalt": "nn-notes",  # stable element ids: byte-identical SVGs across runs
    "svg.fonttype": "path",  # text as paths: looks the same without the fonts installed
}
# Material's slate scheme: page background and body text.
DARK_BACKGROUND = (0.118, 0.129, 0.161)
DARK_FOREGROUND = (0.886, 0.894, 0.918)
NEUTRAL_SATURATION = 0.12


def apply_site_style() -> None:
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(SITE_STYLE)


def svg_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    # No date: the file depends only on what was drawn.
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def _dark(colour):
    """Map a grey-scale colour to its counterpart on a dark background; keep hues."""
    r, g, b, a = to_rgba(colour)
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation * min(lightness, 1 - lightness) * 2 > NEUTRAL_SATURATION:
        return (r, g, b, a)
    t = lightness  # 0 = black (foreground) ... 1 = white (background)
    mixed = [f + (bg - f) * t for f, bg in zip(DARK_FOREGROUND, DARK_BACKGROUND)]
    return (*mixed, a)


def _recolour(artist) -> None:
    if isinstance(artist, Text):
        artist.set_color(_dark(artist.get_color()))
        box = artist.get_bbox_patch()
        if box is not None:
            _recolour(box)
    elif isinstance(artist, Line2D):
        artist.set_color(_dark(artist.get_color()))
        for getter, setter in (("get_markeredgecolor", "set_markeredgecolor"), ("get_markerfacecolor", "set_markerfacecolor")):
            value = getattr(artist, getter)()
            if not (isinstance(value, str) and value in ("none", "auto")):
                getattr(artist, setter)(_dark(value))
    elif isinstance(artist, Patch):
        artist.set_facecolor(_dark(artist.get_facecolor()))
        artist.set_edgecolor(_dark(artist.get_edgecolor()))
    elif isinstance(artist, Collection) and artist.get_array() is None:
        # Colour-mapped collections (heatmaps, coloured scatters) keep their colormap.
        faces, edges = artist.get_facecolor(), artist.get_edgecolor()
        if len(faces):
            artist.set_facecolor([_dark(c) for c in faces])
        if len(edges):
            artist.set_edgecolor([_dark(c) for c in edges])


def light_and_dark_svg(fig) -> tuple[bytes, bytes]:
    light = svg_bytes(fig)
    seen = set()
    for artist in fig.findobj():
        if id(artist) not in seen:  # each colour is mapped exactly once
            seen.add(id(artist))
            _recolour(artist)
    for ax in fig.axes:  # ticks are re-created at draw time from these settings
        ax.tick_params(which="both", color=_dark("black"), labelcolor=_dark("black"))
    return light, svg_bytes(fig)
