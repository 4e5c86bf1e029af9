"""The GitHub files and the pre-commit config: valid YAML with the triggers, permissions and
commands the project relies on. A pull request's snippets are untrusted code that CI runs,
so CI must stay read-only and secret-free."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
SNIPPET_CACHE_INPUTS = ("requirements.txt", "nn_notes/runner/**", "snippets/**")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    if True in data:  # YAML 1.1 reads the key `on:` as the boolean True
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict, action: str) -> list[dict]:
    return [step for step in steps(workflow) if step.get("uses", "").split("@")[0] == action]


def readme_test_command() -> str:
    """The command the README gives for the whole test suite."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^(\S.*?)\s+#.*\btest suite\b", readme, flags=re.MULTILINE)
    assert len(commands) == 1, f"the README names {len(commands)} test commands: {commands}"
    return commands[0]


@pytest.fixture(scope="module")
def ci() -> dict:
    return load(GITHUB / "workflows" / "ci.yml")


@pytest.fixture(scope="module")
def deploy() -> dict:
    return load(GITHUB / "workflows" / "deploy.yml")


def test_the_workflows_exist_and_parse():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml"}
    for path in WORKFLOWS:
        workflow = load(path)
        assert {"name", "on", "jobs"} <= set(workflow), path.name
        for name, job in workflow["jobs"].items():
            assert "runs-on" in job and job.get("steps"), f"{path.name}: job {name}"
            for step in job["steps"]:
                assert ("run" in step) != ("uses" in step), f"{path.name}: {step}"
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w./-]+@[\w.-]+", step["uses"]), \
                        f"{path.name}: pin {step['uses']} to a version"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_runs_untrusted_code_with_a_privileged_trigger(path):
    assert "pull_request_target" not in path.read_text(encoding="utf-8")
    assert "workflow_run" not in load(path)["on"]


def test_ci_runs_on_pull_requests_and_pushes_to_main(ci):
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["on"]["push"]["branches"] == ["main"]


def test_ci_has_a_read_only_token_and_no_secrets(ci):
    assert ci["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in ci["jobs"].values()), "no job may widen the token"
    text = (GITHUB / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert not re.search(r"\bsecrets\.", text), "CI runs a pull request's code: it must not see secrets"
    assert all(step.get("with", {}).get("persist-credentials") is False for step in uses(ci, "actions/checkout"))


def test_ci_runs_exactly_the_readme_test_command(ci):
    command = readme_test_command()
    assert [step["run"].strip() for step in steps(ci) if step.get("run", "").strip() == command] == [command]


def test_ci_installs_chromium_from_apt_like_the_ci_script(ci):
    assert "apt-get install" in (ROOT / ".ci" / "run").read_text() and "chromium" in (ROOT / ".ci" / "run").read_text()
    installs = [s["run"] for s in steps(ci) if "apt-get install" in s.get("run", "")]
    assert installs and "chromium" in installs[0]
    runs = [s.get("run", "") for s in steps(ci)]
    assert runs.index(installs[0]) < runs.index("make test"), "Chromium is installed before the tests"


def test_ci_caches_pip_and_uploads_the_site_on_pull_requests(ci):
    assert any("pip" in str(step.get("with", {}).get("path", "")) for step in uses(ci, "actions/cache"))
    [upload] = uses(ci, "actions/upload-artifact")
    assert upload["if"] == "github.event_name == 'pull_request'"
    assert upload["with"]["path"].rstrip("/") == "site"
    [build] = [s for s in steps(ci) if s.get("run", "").strip() == "make build"]
    assert build["if"] == upload["if"]


def test_deploy_builds_main_and_publishes_to_pages(deploy):
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert "pull_request" not in deploy["on"]
    assert deploy["permissions"] == {"contents": "read"}
    publishers = {name for name, job in deploy["jobs"].items()
                  if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in job["steps"])}
    assert len(publishers) == 1
    for name, job in deploy["jobs"].items():
        if name in publishers:
            assert job["permissions"] == {"pages": "write", "id-token": "write"}
            assert job["environment"]["name"] == "github-pages"
        else:
            assert "permissions" not in job, f"only the publishing job may write to Pages ({name})"
    assert uses(deploy, "actions/upload-pages-artifact")[0]["with"]["path"].rstrip("/") == "site"
    [build] = [s for s in steps(deploy) if s.get("run", "").strip() == "make build"]
    assert build["env"]["SITE_URL"], "mkdocs.yml reads the public address from SITE_URL"
    assert "!ENV [SITE_URL" in (ROOT / "mkdocs.yml").read_text()


def test_deploy_caches_the_runner_cache_keyed_on_what_invalidates_it(deploy):
    [cache] = [s for s in uses(deploy, "actions/cache") if s["with"]["path"] == ".cache/snippets"]
    key = cache["with"]["key"]
    for inputs in SNIPPET_CACHE_INPUTS:
        assert f"hashFiles('{inputs}')" in key, f"the snippet cache key ignores {inputs}"
    assert cache["with"]["restore-keys"].strip() in key, "a snippet edit restores the previous cache"


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_forms_are_valid(path):
    form = load(path)
    assert form["name"] and form["description"] and isinstance(form["body"], list)
    ids = []
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}, element
        if element["type"] == "markdown":
            assert element["attributes"]["value"].strip()
            continue
        assert element["attributes"]["label"].strip()
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"]), element["id"]
        ids.append(element["id"])
        if element["type"] in ("dropdown", "checkboxes"):
            assert element["attributes"]["options"]
    assert len(ids) == len(set(ids)), f"duplicate ids in {path.name}"


def test_there_are_forms_to_report_a_mistake_and_propose_a_question():
    names = {load(path)["name"].lower() for path in ISSUE_FORMS}
    assert any("mistake" in name for name in names) and any("propose" in name for name in names)


def test_the_pull_request_template_has_the_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, flags=re.MULTILINE)
    assert len(boxes) >= 5
    for must in ("make test", "TODO(new_question)", "assert", "alt text", "front matter"):
        assert any(must in box for box in boxes), must


def test_pre_commit_runs_the_same_checks_with_the_same_versions():
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "codespell", "conventions"} <= set(hooks)
    assert "tests/test_conventions.py" in hooks["conventions"]["entry"]
    pins = dict(re.findall(r"^([\w-]+)==(\S+)", (ROOT / "requirements-dev.txt").read_text(), flags=re.MULTILINE))
    for tool in ("ruff", "codespell"):
        assert hooks[tool]["additional_dependencies"] == [f"{tool}=={pins[tool]}"], tool
