"""The MkDocs side: the plugin `nn-notes` (plugin.py) and one module per feature it drives."""
