"""Parsing questions and short answers out of a page's Markdown."""

from nn_notes.pages.question_bank import Page, nav_pages, questions, render

PAGE = '''---
title: T
---

# T

## First question? { #first }

???+ abstract "Short answer"
    Line one of the answer.

    Line two, after a blank line.

### Explanation

Text that is not part of the answer.

## Second question? { #second }

Prose before the answer.

!!! abstract "Short answer"
    Only line.
'''


def test_questions_and_their_short_answers_are_parsed():
    parsed = questions(PAGE)
    assert [(q.text, q.anchor) for q in parsed] == [("First question?", "first"), ("Second question?", "second")]
    assert parsed[0].short_answer == "Line one of the answer.\n\nLine two, after a blank line."
    assert parsed[1].short_answer == "Only line."


def test_a_heading_without_an_anchor_is_not_a_question():
    assert questions("## Not a question\n\ntext\n") == []


def test_nav_pages_keep_sections_and_order():
    nav = [{"Home": "index.md"}, {"Bank": "questions.md"},
           {"Training": ["training/a.md", {"B": "training/b.md"}]}, {"Arch": [{"C": "arch/c.md"}]}]
    assert nav_pages(nav) == [("", "index.md"), ("Training", "training/a.md"), ("Training", "training/b.md"),
                              ("Arch", "arch/c.md")]


def test_render_links_each_question_with_a_collapsed_answer():
    page = Page("training/a.md", "Training", "A page", ["x"], "easy", questions(PAGE))
    text = render([page])
    assert "### [First question?](training/a.md#first)" in text
    assert '??? abstract "Short answer"\n    Line one of the answer.\n\n    Line two' in text
    assert "All 2 questions" in text
