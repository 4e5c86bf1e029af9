"""The pages made from the others (question bank, contributing guide, build report) on the site.

The generation step (nn_notes.generate) writes them; MkDocs gets each as a file of its own,
at its place on the site.
"""

from __future__ import annotations

from mkdocs.structure.files import File

from nn_notes.generate import Generation


class GeneratedPages:
    def on_files(self, files, config, generation: Generation) -> None:
        for name, text in generation.pages.items():
            files.append(File.generated(config, name, content=text))
