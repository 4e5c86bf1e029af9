"""The MkDocs side: `hooks` drives one module per feature through MkDocs' events."""
