"""The real mkdocs.yml declares the plugin's options; the environment sets only those it names."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
SWITCHES = ("NN_NOTES_RUN_DEMOS", "NN_NOTES_PAGE_CACHE", "NN_NOTES_SERVE_TIMEOUT")


def plugin_options(monkeypatch, **env: str):
    for name in SWITCHES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = load_config(str(ROOT / "mkdocs.yml"))
    return config, config.plugins["nn-notes"].config


def test_defaults_run_the_demos_and_use_the_page_cache(monkeypatch):
    _, options = plugin_options(monkeypatch)
    assert (options.run_demos, options.page_cache, options.serve_timeout, options.timeout) == (True, True, 30, 120)


def test_the_benchmarks_switches_come_from_the_environment(monkeypatch):
    _, options = plugin_options(monkeypatch, NN_NOTES_RUN_DEMOS="false", NN_NOTES_PAGE_CACHE="false",
                                NN_NOTES_SERVE_TIMEOUT="7")
    assert (options.run_demos, options.page_cache, options.serve_timeout) == (False, False, 7)


def test_a_switch_with_a_wrong_value_is_refused(monkeypatch):
    from mkdocs.exceptions import Abort, ConfigurationError

    with pytest.raises((Abort, ConfigurationError)):
        plugin_options(monkeypatch, NN_NOTES_RUN_DEMOS="sometimes")


def test_the_plugin_runs_after_search_and_glightbox(monkeypatch):
    """Plugins run in list order: its page events work on what those two have done."""
    config, _ = plugin_options(monkeypatch)
    names = list(config.plugins)
    assert names.index("nn-notes") > max(names.index("material/search"), names.index("glightbox")), names
