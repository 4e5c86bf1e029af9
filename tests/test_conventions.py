"""The conventions of CONTRIBUTING.md, checked without building the site (a few seconds).

Each check is a function that takes paths or text and returns its problems, one line each,
naming the file (and line). The first group of tests runs the checks on this repository;
the second feeds each check a bad example, so that every check is known to be able to fail.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nn_notes import content
from nn_notes.content import (
    DIFFICULTIES,
    EMBED,
    FOLLOW_UPS,
    MAX_SHORT_ANSWER_WORDS,
    PARTS,
    QUESTION,
    SHORT_ANSWER,
    embed_line,
    embeds,
    front_matter_source,
    missing_demo,
    snippet_files,
    snippet_name,
)
from nn_notes.tools.new_question import MIN_SNIPPET_WORDS, PLACEHOLDER, SNAKE

ROOT = Path(__file__).resolve().parents[1]
MAX_SNIPPET_LINES = 120  # a hard limit; CONTRIBUTING.md asks for about 40
MAX_SNIPPET_WIDTH = 88  # the demos are read on the page, beside their output
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
RUFF_PATHS = ["nn_notes", "scripts", "tests", "snippets"]
SPELL_PATHS = ["docs", "snippets", "nn_notes", "scripts", "CONTRIBUTING.md", "README.md", ".github"]
GENERATED_PATHS = ["docs/generated", "site"]
FORMULA = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)  # display or inline math
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
FOLLOW_UP = '??? question "'


# --- the checks ---

def pages(root: Path) -> list[Path]:
    """The hand-written Markdown pages below docs/ (content.pages)."""
    return content.pages(root / "docs")


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def outside_code(lines: list[str]) -> list[bool]:
    """For each line, whether it is outside fenced code blocks."""
    flags, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = match["fence"]
            flags.append(fence is None)
        else:
            if match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence) \
                    and not line.strip().lstrip(fence[0]):
                fence = None
            flags.append(False)
    return flags


def placeholder_problems(root: Path) -> list[str]:
    """Markers the scaffold (scripts/new_question.py) leaves for the author to replace."""
    problems = []
    for path in [*pages(root), *snippet_files(root)]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PLACEHOLDER in line:
                problems.append(f"{rel(root, path)}:{number}: unfinished: {line.strip()}")
    return problems


def front_matter_problems(name: str, text: str) -> list[str]:
    """title and description on every page; tags (a list) and difficulty on question pages."""
    source = front_matter_source(text)
    if source is None:
        return [f"{name}: no front matter (a `---` block with title, description, tags, difficulty)"]
    try:
        meta = yaml.safe_load(source) or {}
    except yaml.YAMLError as error:
        return [f"{name}: front matter is not valid YAML: {error}".replace("\n", " ")]
    if not isinstance(meta, dict):
        return [f"{name}: front matter is not a mapping"]
    problems = [f"{name}: front matter needs a non-empty {key!r}" for key in ("title", "description")
                if not isinstance(meta.get(key), str) or not meta[key].strip()]
    if not questions_of(text):
        return problems  # the home page and other pages without questions
    tags = meta.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip() for t in tags):
        problems.append(f"{name}: front matter needs `tags:`, a list of one or more topics")
    if meta.get("difficulty") not in DIFFICULTIES:
        problems.append(f"{name}: front matter needs `difficulty:` one of {', '.join(DIFFICULTIES)}, "
                        f"not {meta.get('difficulty')!r}")
    return problems


def questions_of(text: str) -> list[int]:
    """0-based lines of the `## question { #anchor }` headings outside code blocks."""
    lines = text.splitlines()
    return [i for i, (line, prose) in enumerate(zip(lines, outside_code(lines))) if prose and QUESTION.match(line)]


def word_count(lines: list[str]) -> int:
    """Words as a listener hears them: a formula is one word, a link is its text."""
    text = LINK.sub(r"\1", FORMULA.sub(" formula ", "\n".join(lines)))
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def question_problems(name: str, text: str) -> list[str]:
    """Every question has the skeleton's parts, each once, in order, and none of them empty."""
    lines = text.splitlines()
    prose = outside_code(lines)
    headings = [i for i, line in enumerate(lines) if prose[i] and line.startswith("## ")]
    questions = questions_of(text)
    if not questions:
        return []
    problems = [f"{name}:{i + 1}: a `##` heading on a question page must be a question with a stable "
                f"anchor, `## Question? {{ #anchor }}`: {lines[i]}" for i in headings if i not in questions]
    anchors: dict[str, int] = {}
    expected = ["Short answer", *PARTS]
    for start in questions:
        anchor = QUESTION.match(lines[start])["anchor"]
        if anchor in anchors:
            problems.append(f"{name}:{start + 1}: anchor #{anchor} is also used on line {anchors[anchor] + 1}")
        anchors.setdefault(anchor, start)
        end = next((i for i in headings if i > start), len(lines))
        parts: list[tuple[str, int]] = []
        for i in range(start + 1, end):
            if not prose[i]:
                continue
            if lines[i].strip() == SHORT_ANSWER:
                parts.append(("Short answer", i))
            elif lines[i].startswith("### "):
                parts.append((lines[i][4:].strip(), i))
        found = [part for part, _ in parts]
        where = f"{name}:{start + 1} (#{anchor})"
        if found != expected:
            problems.append(f"{where}: parts {found} instead of {expected} "
                            f"(the admonition is `{SHORT_ANSWER}`, the others `### ` headings)")
            continue
        starts = [i for _, i in parts] + [end]
        body = {part: lines[starts[k] + 1:starts[k + 1]] for k, part in enumerate(found)}
        answer = [line for line in body["Short answer"] if line.startswith("    ") or not line.strip()]
        words = word_count(answer)
        if not words:
            problems.append(f"{where}: the short answer is empty (indent its text by four spaces)")
        elif words > MAX_SHORT_ANSWER_WORDS:
            problems.append(f"{name}:{starts[0] + 1} (#{anchor}): the short answer has {words} words; "
                            f"at most {MAX_SHORT_ANSWER_WORDS} (what you would say in 30 seconds)")
        if not any(line.strip() for line in body["Explanation"]):
            problems.append(f'{where}: "Explanation" is empty')
        if not any(EMBED.match(line) for line in body["See it run"]):
            problems.append(f'{where}: "See it run" embeds no demo (--8<-- "generated/<topic>/<name>.md")')
        follow_ups = sum(line.startswith(FOLLOW_UP) for line in body["Follow-ups"])
        fewest, most = FOLLOW_UPS
        if not follow_ups:
            problems.append(f'{where}: "Follow-ups" has no `??? question "…"` block')
        elif not fewest <= follow_ups <= most:
            problems.append(f"{name}:{starts[found.index('Follow-ups')] + 1} (#{anchor}): {follow_ups} follow-up(s); "
                            f"keep {fewest} to {most}")
        if not any(line.strip() for line in body["Pitfalls"]):
            problems.append(f'{where}: "Pitfalls" is empty')
        if not any(re.search(r"\]\(https?://", line) for line in body["Further reading"]):
            problems.append(f'{where}: "Further reading" links no source')
    return problems


def snippet_name_problems(root: Path) -> list[str]:
    """snippets/<topic>/<what_it_shows>.py: lowercase_with_underscores, the name 3+ words."""
    problems = []
    for path in snippet_files(root):
        parts = path.relative_to(root / "snippets").with_suffix("").parts
        name = rel(root, path)
        if len(parts) != 2:
            problems.append(f"{name}: a demo lives in snippets/<topic>/<name>.py, one folder deep")
            continue
        if not all(SNAKE.match(part) for part in parts):
            problems.append(f"{name}: topic and name are lowercase_with_underscores")
        elif len(parts[1].split("_")) < MIN_SNIPPET_WORDS:
            problems.append(f"{name}: the name says what the demo shows in at least {MIN_SNIPPET_WORDS} "
                            "words (inverted_dropout_matches_nn_dropout, not dropout_demo)")
    return problems


def snippet_length_problems(name: str, text: str) -> list[str]:
    lines = text.splitlines()
    problems = []
    if len(lines) > MAX_SNIPPET_LINES:
        problems.append(f"{name}: {len(lines)} lines; at most {MAX_SNIPPET_LINES} (aim for about 40)")
    wide = [number for number, line in enumerate(lines, start=1) if len(line) > MAX_SNIPPET_WIDTH]
    if wide:
        shown = ", ".join(map(str, wide[:10])) + (", …" if len(wide) > 10 else "")
        problems.append(f"{name}: {len(wide)} line(s) over {MAX_SNIPPET_WIDTH} characters (lines {shown})")
    return problems


def assert_message_problems(name: str, text: str) -> list[str]:
    """Every assert in a demo says the claim it checks: a failing build then names it."""
    try:
        tree = ast.parse(text, filename=name)
    except SyntaxError:
        return []  # the runner reports it with its line
    return [f"{name}:{node.lineno}: this assert has no message; say the claim it checks "
            f"(assert ok, \"what the page claims\")"
            for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Assert)), key=lambda n: n.lineno)
            if node.msg is None]


def embed_problems(root: Path) -> list[str]:
    """Every demo is embedded by some page, and every embed names a demo that exists."""
    names = {snippet_name(root, path) for path in snippet_files(root)}
    embedded, problems = set(), []
    for page in pages(root):
        for number, name in embeds(page.read_text(encoding="utf-8")):
            embedded.add(name)
            if name not in names:
                problems.append(f"{rel(root, page)}:{number}: {missing_demo(name)}")
    problems += [f"snippets/{name}.py: no page embeds it ({embed_line(name)})"
                 for name in sorted(names - embedded)]
    return problems


def tracked_generated_files(root: Path) -> list[str]:
    """Files the build makes that git tracks anyway (they are made fresh by every build)."""
    result = subprocess.run(["git", "ls-files", "--", *GENERATED_PATHS], cwd=root,
                            capture_output=True, text=True, check=True)
    return [f"{line}: generated by the build, never committed (git rm --cached it)"
            for line in result.stdout.splitlines()]


def run_tool(root: Path, args: list[str]) -> list[str]:
    result = subprocess.run([sys.executable, "-m", *args], cwd=root, capture_output=True, text=True,
                            timeout=300)
    if result.returncode == 0:
        return []
    return (result.stdout + result.stderr).strip().splitlines() or [f"{args[0]} exited {result.returncode}"]


def ruff_problems(root: Path, paths: list[str]) -> list[str]:
    """`ruff check` with ruff.toml (and snippets/ruff.toml: 88 characters for the demos)."""
    return run_tool(root, ["ruff", "check", "--no-cache", "--output-format", "concise", "--quiet", *paths])


def spelling_problems(root: Path, paths: list[str]) -> list[str]:
    """codespell with .codespellrc (British spellings are intended and accepted)."""
    return run_tool(root, ["codespell_lib", "--config", str(root / ".codespellrc"), *paths])


def check(problems: list[str], hint: str = "") -> None:
    """Fail with one line per problem (and no long repr of the list)."""
    if problems:
        pytest.fail(f"{hint}{len(problems)} problem(s):\n" + "\n".join(problems), pytrace=False)


# --- the checks on this repository ---

def test_no_placeholder_is_left_on_the_project():
    check(placeholder_problems(ROOT), f"replace every {PLACEHOLDER} left by scripts/new_question.py: ")


def test_every_page_has_its_front_matter():
    check([p for page in pages(ROOT) for p in front_matter_problems(rel(ROOT, page), page.read_text("utf-8"))])


def test_every_question_has_the_skeleton_parts_in_order():
    check([p for page in pages(ROOT) for p in question_problems(rel(ROOT, page), page.read_text("utf-8"))])


def test_snippet_names_follow_the_convention():
    assert snippet_files(ROOT), "no snippets found"
    check(snippet_name_problems(ROOT))


def test_snippets_are_short_and_narrow():
    check([p for path in snippet_files(ROOT)
           for p in snippet_length_problems(rel(ROOT, path), path.read_text("utf-8"))])


def test_every_assert_in_a_demo_has_a_message():
    check([p for path in snippet_files(ROOT)
           for p in assert_message_problems(rel(ROOT, path), path.read_text("utf-8"))])


def test_every_snippet_is_embedded_and_every_embed_resolves():
    check(embed_problems(ROOT))


def test_no_generated_output_is_committed():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git work tree")
    check(tracked_generated_files(ROOT))


def test_ruff_is_clean():
    check(ruff_problems(ROOT, RUFF_PATHS), f"ruff check {' '.join(RUFF_PATHS)} (`ruff check --fix` fixes [*]): ")


def test_codespell_is_clean():
    paths = [p for p in SPELL_PATHS if (ROOT / p).exists()]
    check(spelling_problems(ROOT, paths), "codespell (a real word it does not know goes into .codespellrc): ")


# --- every check fails on a bad example ---

GOOD_QUESTION = """## Why? { #why }

???+ abstract "Short answer"
    Because.

### Explanation

Text.

```python
## not a heading: inside code
```

### See it run

--8<-- "generated/topic/demo_that_shows_it.md"

### Follow-ups

??? question "And then?"
    Then.

??? question "Why not?"
    Because not.

### Pitfalls

- One.

### Further reading

- [A paper](https://example.org/paper)
"""
GOOD_PAGE = "---\ntitle: T\ndescription: D.\ntags:\n  - t\ndifficulty: easy\n---\n\n# T\n\n" + GOOD_QUESTION


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_placeholder_check_finds_a_marker_in_a_page_and_in_a_snippet(tmp_path):
    write(tmp_path, {"docs/a/b.md": "fine\n", "snippets/t/one_two_three.py": "print(1)\n",
                     "docs/generated/t/x.md": PLACEHOLDER})
    assert placeholder_problems(tmp_path) == []
    write(tmp_path, {"docs/a/b.md": f"fine\n{PLACEHOLDER}: write me\n",
                     "snippets/t/one_two_three.py": f"# {PLACEHOLDER}\n"})
    assert placeholder_problems(tmp_path) == [
        f"docs/a/b.md:2: unfinished: {PLACEHOLDER}: write me",
        f"snippets/t/one_two_three.py:1: unfinished: # {PLACEHOLDER}"]


@pytest.mark.parametrize("front,problem", [
    ("", "no front matter"),
    ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
    ("---\ndescription: D\ntags: [t]\ndifficulty: easy\n---\n", "non-empty 'title'"),
    ("---\ntitle: T\ndescription: ''\ntags: [t]\ndifficulty: easy\n---\n", "non-empty 'description'"),
    ("---\ntitle: T\ndescription: D\ntags: t\ndifficulty: easy\n---\n", "`tags:`, a list"),
    ("---\ntitle: T\ndescription: D\ndifficulty: easy\n---\n", "`tags:`, a list"),
    ("---\ntitle: T\ndescription: D\ntags: [t]\ndifficulty: tricky\n---\n", "not 'tricky'"),
    ("---\ntitle: T\ndescription: D\ntags: [t]\n---\n", "not None"),
])
def test_front_matter_check_rejects(front, problem):
    problems = front_matter_problems("p.md", front + "\n# T\n\n" + GOOD_QUESTION)
    assert len(problems) == 1 and problem in problems[0], problems


def test_front_matter_check_accepts_a_good_page_and_a_page_without_questions():
    assert front_matter_problems("p.md", GOOD_PAGE) == []
    assert front_matter_problems("index.md", "---\ntitle: Home\ndescription: D\n---\n\n# Home\n") == []


def test_question_check_accepts_the_skeleton():
    assert question_problems("p.md", GOOD_PAGE) == []


@pytest.mark.parametrize("edit,problem", [
    (lambda t: t.replace("### Pitfalls\n\n- One.\n\n", ""), "instead of"),
    (lambda t: t.replace("### Explanation", "### Why").replace("### See it run", "### Explanation"), "instead of"),
    (lambda t: t.replace("### Follow-ups", "### Pit").replace("### Pitfalls", "### Follow-ups")
     .replace("### Pit\n", "### Pitfalls\n"), "instead of"),
    (lambda t: t.replace('???+ abstract "Short answer"', '!!! note "Short answer"'), "instead of"),
    (lambda t: t.replace("    Because.\n", ""), "short answer is empty"),
    (lambda t: t.replace('--8<-- "generated/topic/demo_that_shows_it.md"', "No demo."), "embeds no demo"),
    (lambda t: t.replace('??? question "', "Q: "), "no `??? question"),
    (lambda t: re.sub(r"### Explanation\n.*?(?=### See it run)", "### Explanation\n\n", t, flags=re.DOTALL),
     '"Explanation" is empty'),
    (lambda t: t.replace("- One.", ""), '"Pitfalls" is empty'),
    (lambda t: t.replace("(https://example.org/paper)", ""), "links no source"),
    (lambda t: t + "\n## Summary\n\nText.\n", "must be a question with a stable anchor"),
    (lambda t: t + "\n" + GOOD_QUESTION, "also used on line"),
])
def test_question_check_rejects(edit, problem):
    problems = question_problems("p.md", edit(GOOD_PAGE))
    assert len(problems) == 1 and problem in problems[0], problems


def short_answer_of(words: int) -> str:
    """GOOD_PAGE with a short answer of `words` words on two lines, one of them a formula."""
    text = " ".join(["word"] * (words - 3))  # + 2 link words + 1 formula
    return GOOD_PAGE.replace("    Because.\n", f"    {text}\n    [a link](https://example.org) $\\sqrt{{d_k}} x$\n")


def test_word_count_counts_a_formula_and_a_link_as_words_and_skips_punctuation():
    assert word_count(["    Scale by $\\frac{1}{\\sqrt{d_k}}$ — see [the paper](https://x.org/a b) (2017)."]) == 7
    assert word_count(["$$", "a + b = c", "$$ and `torch.equal`"]) == 3


def test_short_answer_check_allows_75_words_and_rejects_a_planted_90_word_answer():
    assert question_problems("p.md", short_answer_of(MAX_SHORT_ANSWER_WORDS)) == []
    problems = question_problems("p.md", short_answer_of(90))
    assert problems == [f"p.md:13 (#why): the short answer has 90 words; at most {MAX_SHORT_ANSWER_WORDS} "
                        "(what you would say in 30 seconds)"]


def follow_ups_of(count: int) -> str:
    two = '??? question "And then?"\n    Then.\n\n??? question "Why not?"\n    Because not.\n'
    return GOOD_PAGE.replace(two, "\n".join(f'??? question "Q{n}?"\n    A{n}.\n' for n in range(count)))


@pytest.mark.parametrize("count,ok", [(1, False), (2, True), (4, True), (5, False)])
def test_follow_up_check_wants_two_to_four(count, ok):
    problems = question_problems("p.md", follow_ups_of(count))
    if ok:
        assert problems == []
    else:
        assert problems == [f"p.md:28 (#why): {count} follow-up(s); keep 2 to 4"]


def test_assert_message_check_names_each_bare_assert():
    text = 'x = 1\nassert x == 1, "one is one"\nassert x > 0\nif x:\n    assert x\n'
    assert assert_message_problems("s.py", text) == [
        's.py:3: this assert has no message; say the claim it checks (assert ok, "what the page claims")',
        's.py:5: this assert has no message; say the claim it checks (assert ok, "what the page claims")']
    assert assert_message_problems("s.py", 'assert True, "fine"\n') == []


def test_snippet_name_check_rejects_bad_names(tmp_path):
    good = "snippets/topic/three_word_name.py"
    bad = ["snippets/topic/two_words.py", "snippets/topic/CamelCase_Name_Here.py", "snippets/Topic/ok_name_here.py",
           "snippets/top_level_demo_file.py", "snippets/a/b/deep_nested_demo.py", "snippets/topic/with-hyphen-s.py"]
    write(tmp_path, {name: "print(1)\n" for name in [good, *bad, "snippets/topic/_helper.py"]})
    problems = snippet_name_problems(tmp_path)
    assert sorted(p.split(":")[0] for p in problems) == sorted(bad), problems


def test_snippet_length_check_rejects_long_files_and_wide_lines():
    assert snippet_length_problems("s.py", "x = 1\n" * MAX_SNIPPET_LINES + "y" * MAX_SNIPPET_WIDTH + "\n") == [
        f"s.py: {MAX_SNIPPET_LINES + 1} lines; at most {MAX_SNIPPET_LINES} (aim for about 40)"]
    assert snippet_length_problems("s.py", "x = 1\n" + "#" * (MAX_SNIPPET_WIDTH + 1) + "\n") == [
        f"s.py: 1 line(s) over {MAX_SNIPPET_WIDTH} characters (lines 2)"]


def test_embed_check_finds_an_orphan_snippet_and_a_dangling_embed(tmp_path):
    write(tmp_path, {"snippets/t/shown_on_page.py": "", "snippets/t/never_shown_anywhere.py": "",
                     "docs/p.md": '# P\n\n--8<-- "generated/t/shown_on_page.md"\n--8<-- "generated/t/gone.md"\n'})
    assert embed_problems(tmp_path) == [
        "docs/p.md:4: embeds generated/t/gone.md, but there is no snippet snippets/t/gone.py",
        'snippets/t/never_shown_anywhere.py: no page embeds it (--8<-- "generated/t/never_shown_anywhere.md")']


def test_generated_output_check_finds_a_tracked_file(tmp_path):
    write(tmp_path, {"docs/generated/t/x.md": "out\n", "docs/p.md": "# P\n"})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "docs/p.md"], cwd=tmp_path, check=True)
    assert tracked_generated_files(tmp_path) == []
    subprocess.run(["git", "add", "-f", "docs/generated/t/x.md"], cwd=tmp_path, check=True)
    assert tracked_generated_files(tmp_path) == [
        "docs/generated/t/x.md: generated by the build, never committed (git rm --cached it)"]


def copy_configs(tmp_path: Path, *names: str) -> None:
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)


def test_ruff_check_finds_an_unused_import_and_a_wide_snippet_line(tmp_path):
    copy_configs(tmp_path, "ruff.toml", "snippets/ruff.toml")
    write(tmp_path, {"scripts/tool.py": "import os\n\nprint(os.sep)\n",
                     "snippets/t/narrow_enough_demo.py": "x = 1  # " + "a" * 70 + "\nprint(x)\n"})
    assert ruff_problems(tmp_path, ["scripts", "snippets"]) == []
    write(tmp_path, {"scripts/tool.py": "import os\nimport sys\n\nprint(os.sep)\n",
                     "snippets/t/too_wide_demo.py": "x = 1  # " + "a" * 90 + "\n"})
    problems = "\n".join(ruff_problems(tmp_path, ["scripts", "snippets"]))
    assert "scripts/tool.py:2:8: F401" in problems
    assert "snippets/t/too_wide_demo.py:1:89: E501" in problems


def test_codespell_finds_a_misspelling_and_accepts_british_and_technical_words(tmp_path):
    copy_configs(tmp_path, ".codespellrc")
    write(tmp_path, {"docs/p.md": "We normalise, regularise and optimise after initialisation; "
                                  "the colour of the behaviour. d_out = dL/dout costs O(nd^2).\n"})
    assert spelling_problems(tmp_path, ["docs"]) == []
    write(tmp_path, {"docs/q.md": "Teh gradient is recieved.\n"})
    problems = "\n".join(spelling_problems(tmp_path, ["docs"]))
    assert "docs/q.md:1: Teh ==> The" in problems and "recieved ==> received" in problems
