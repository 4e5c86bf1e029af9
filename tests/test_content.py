"""The content schema (nn_notes.content) is read the same way by the build, the question bank
and the convention checks: one grammar, MkDocs' own for front matter."""

from __future__ import annotations

from pathlib import Path

from nn_notes import checks, content
from nn_notes.pages import contributing, question_bank

# Front matter MkDocs accepts that a hand-written `---\n...\n---\n` pattern misses: spaces
# after the delimiters and YAML's `...` end marker.
UNUSUAL_FRONT_MATTER = "--- \ntitle: Odd page\ntags:\n  - odd\ndifficulty: hard\n... \n\n# Odd page\n"


def test_front_matter_is_read_as_mkdocs_reads_it():
    from mkdocs.utils.meta import get_data

    assert get_data(UNUSUAL_FRONT_MATTER)[1]["title"] == "Odd page"  # MkDocs accepts it...
    assert content.front_matter(UNUSUAL_FRONT_MATTER) == {"title": "Odd page", "tags": ["odd"], "difficulty": "hard"}
    assert content.front_matter("# No front matter\n") == {}


def test_question_bank_reads_the_front_matter_mkdocs_accepts(tmp_path):
    (tmp_path / "odd.md").write_text(UNUSUAL_FRONT_MATTER + '\n## Why? { #why }\n\n???+ abstract "Short answer"\n'
                                     "    Because.\n")
    [page] = question_bank.collect(tmp_path, [{"Section": ["odd.md"]}])
    assert (page.title, page.tags, page.difficulty) == ("Odd page", ["odd"], "hard")
    assert [(q.anchor, q.short_answer) for q in page.questions] == [("why", "Because.")]


def test_page_checks_use_the_same_delimiters():
    broken = UNUSUAL_FRONT_MATTER.replace("title: Odd page", "title: [unclosed")
    line, message = checks.front_matter_problem(broken)
    assert line == 2 and "not valid YAML" in message
    assert checks.front_matter_problem(UNUSUAL_FRONT_MATTER) is None


def test_embeds_are_numbered_in_the_whole_file_and_only_whole_lines_count():
    text = '---\ntitle: T\n---\n\n--8<-- "generated/a/b.md"\n  --8<-- \'generated/c/d_e.md\'\nsee --8<-- "generated/x.md"\n'
    assert content.embeds(text) == [(5, "a/b"), (6, "c/d_e")]
    assert content.EMBED.match(content.embed_line("a/b"))["name"] == "a/b"


def test_pages_and_snippets_leave_out_generated_output_and_helpers(tmp_path):
    for name in ("docs/a.md", "docs/generated/t/x.md", "snippets/t/shows_a_thing.py", "snippets/t/_helper.py",
                 "snippets/t/__pycache__/shows_a_thing.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("--8<-- \"generated/t/shows_a_thing.md\"\n")
    assert [p.relative_to(tmp_path).as_posix() for p in content.pages(tmp_path / "docs")] == ["docs/a.md"]
    files = content.snippet_files(tmp_path)
    assert [content.snippet_name(tmp_path, p) for p in files] == ["t/shows_a_thing"]
    assert content.page_embeds(tmp_path / "docs") == {"a.md": ["t/shows_a_thing"]}
    assert content.embedding_pages(tmp_path / "docs") == {"t/shows_a_thing": ["a.md"]}


def test_project_root_is_found_from_a_folder_inside_it(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    (tmp_path / "snippets" / "t").mkdir(parents=True)
    assert content.project_root(tmp_path / "snippets" / "t") == tmp_path.resolve()


CONTRIBUTING = "See [the log](docs/contributing/review-log.md), [pins](requirements.txt) and [a site](https://x.org).\n"


def test_contributing_page_links_repository_files_on_the_forge():
    page = contributing.render(CONTRIBUTING, lambda path: f"https://forge/blob/main/{path}")
    assert "[the log](contributing/review-log.md)" in page
    assert "[pins](https://forge/blob/main/requirements.txt)" in page
    assert "[a site](https://x.org)" in page


def test_contributing_page_without_a_repository_address_keeps_only_the_text():
    page = contributing.render(CONTRIBUTING, None)
    assert "[the log](contributing/review-log.md)" in page
    assert " pins and " in page and "requirements.txt)" not in page
    assert page.startswith("---\n")


def test_the_real_contributing_guide_links_only_pages_or_repository_files():
    text = (Path(__file__).resolve().parents[1] / "CONTRIBUTING.md").read_text(encoding="utf-8")
    page = contributing.render(text, None)
    assert "](docs/" not in page, "a docs/ link would break on the site"
