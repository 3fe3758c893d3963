"""The report sandbox: hostile or careless templates end in a TemplateProblem (exit 1)
with the template's file and line; nothing from disk but the template text is used."""

from __future__ import annotations

import io
import marshal
import pickle
from hashlib import sha1
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader
from jinja2.bccache import bc_magic

from roadmap.errors import TemplateProblem, UsageError
from roadmap.present.sandbox import (
    Limits,
    autoescape_for,
    read_template,
    render_template,
)

VIEW: dict[str, Any] = {
    "title": "<img src=x onerror=alert(1)>",
    "top": [{"title": "E-Akte", "rank": 1}, {"title": "a|b", "rank": 2}],
    "t": {"rank": "Rang"},
}


def problem(source: str, name: str = "mine.md.j2", **kwargs: Any) -> TemplateProblem:
    with pytest.raises(TemplateProblem) as caught:
        render_template(source, name, VIEW, autoescape=False, **kwargs)
    return caught.value


# Each line: the template, the line the problem is on, a word of the message.
HOSTILE = {
    "range beyond the limit": ("ok\n{{ range(100001)|list|length }}", 2, "range()"),
    "format_map without argument": ("a\n\n{{ '{x}'.format_map() }}", 3, "format_map"),
    "format width": ("{{ '{:1000000000}'.format(1) }}", 1, "width"),
    "format nested width": ("{{ '{:{}}'.format(1, 10**9) }}", 1, "nested"),
    "format repeating a field": ("{{ ('{0}' * 100000).format('x' * 1000) }}", 1, "formatted"),
    "percent width": ("x\n{{ '%1000000000d' % 1 }}", 2, "width"),
    "format filter width": ("{{ '%1000000000s'|format('x') }}", 1, "width"),
    "string times huge": ("x\n{{ ('a'*10)*10**8 }}", 2, "repetition"),
    "list times huge": ("{{ ([1]*1000)*10**6 }}", 1, "repetition"),
    "power": ("{{ 2 ** 100000 }}", 1, "bits"),
    "doubling through a namespace": (
        "{% set ns = namespace(s='ab') %}\n{% for i in range(80) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        2,
        "joined",
    ),
    "doubling with +": (
        "{% set ns = namespace(s='ab') %}\n{% for i in range(80) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}",
        2,
        "sum",
    ),
    "center": ("{{ 'a'|center(10**9) }}", 1, "center"),
    "ljust": ("{{ 'a'.ljust(10**9) }}", 1, "ljust"),
    "indent": ("{{ ('a\\n' * 100000)|indent('x' * 100000) }}", 1, "indent"),
    "replace": ("{{ ('a' * 100000)|replace('', 'b' * 10000) }}", 1, "replace"),
    "str.replace": ("{{ ('a' * 100000).replace('a', 'b' * 10000) }}", 1, "replace"),
    "join": ("{{ range(100000)|map('string')|join('x' * 10000) }}", 1, "join"),
    "translate": ("{{ 'abc'.translate({97: 'x'}) }}", 1, "translate"),
    "to_bytes": ("{{ (1).to_bytes(10**9, 'big') }}", 1, "to_bytes"),
    "batch": ("{{ [1]|batch(10**9, 0)|list }}", 1, "batch"),
    "lipsum": ("{{ lipsum(10**9) }}", 1, "lipsum"),
    "macro recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n\n{{ f(0) }}", 1, "nest"),
    "recursive loop": (
        "{% for x in [1] recursive %}{{ loop([1, 2]) }}{% endfor %}",
        1,
        "nest",
    ),
    "mutating the view: append": ("\n{{ top.append(1) }}", 2, "append"),
    "mutating the view: update": ("{{ t.update({'rank': 'x'}) }}", 1, "update"),
    "mutating the view: pop": ("{{ top.pop() }}", 1, "pop"),
    "mutating the view: clear": ("{% set _ = t.clear() %}", 1, "clear"),
    "python internals": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", 1, "__class__"),
    "globals of a function": ("{{ cycler.__init__.__globals__ }}", 1, "__init__"),
    "unknown name": ("a\nb\n{{ nope }}", 3, "'nope' is undefined"),
    "syntax error": ("a\n{% for %}", 2, "syntax error"),
    "unclosed block": ("{% if x %}\nno end", 2, "syntax error"),
    "include": ("{% include '/etc/passwd' %}", 1, "include"),
    "extends": ("{% extends 'base.j2' %}", 1, "include"),
    "import": ("{% import 'x.j2' as x %}", 1, "include"),
    "division by zero": ("\n{{ 1 // 0 }}", 2, "ZeroDivisionError"),
    "huge integer text": ("{{ (10 ** 1000) ** 4 }}", 1, "bits"),
    # a list repeating a big list is cheap to hold and gigabytes as text (issue 20)
    "nested list times huge": ("x\n{{ [[1]*1000]*1000000 }}", 2, "repetition"),
    "printing a nested list": (
        "{% set x = [[1] * 1000] * 30000 %}\n{{ x }}",
        2,
        "the printed value would have",
    ),
    "a nested list as |string": ("{% set x = [[1]*1000]*30000 %}{{ x|string }}", 1, "|string"),
    "a nested list as |e": ("{% set x = [[1]*1000]*30000 %}\n\n{{ x|e }}", 3, "|e"),
    "a nested list as |pprint": ("{{ ([[1]*100]*200000)|pprint }}", 1, "|pprint"),
    "a nested list as |tojson": ("{{ ([[1]*100]*100000)|tojson(16) }}", 1, "|tojson"),
    "a nested list joined with ~": ("{% set x = [[1]*1000]*30000 %}{{ x ~ '' }}", 1, "joined"),
    "a nested list in |join": ("{{ ([[1]*1000]*30000, 1)|join }}", 1, "|join"),
    "a nested list in % formatting": ("{{ '%s' % ([[1]*1000]*30000,) }}", 1, "formatted"),
    "a nested list in format()": ("{{ '{}'.format([[1]*1000]*30000) }}", 1, "formatted"),
    "doubling a list through a namespace": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(80) %}"
        "{% set ns.l = [ns.l, ns.l] %}{% endfor %}\n{{ ns.l|length }}\n{{ ns.l }}",
        3,
        "printed value",
    ),
    "a namespace holding a doubled list": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(80) %}"
        "{% set ns.l = [ns.l, ns.l] %}{% endfor %}\n{{ ns }}",
        2,
        "printed value",
    ),
    "nesting too deep to print": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(1000) %}"
        "{% set ns.l = [ns.l] %}{% endfor %}\n{{ ns.l }}",
        2,
        "deeper than 200 levels",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_template_is_a_located_problem(case: str) -> None:
    source, line, word = HOSTILE[case]
    found = problem(source)
    assert isinstance(found, UsageError) and found.exit_code == 1
    assert found.file == "mine.md.j2"
    assert found.line == line, str(found)
    assert word in str(found)
    assert str(found).startswith(f"mine.md.j2:{line}: ")


GOAL_TREE = """{% macro goal_list(goals, depth) %}
{% for goal in goals %}
{{ "  " * depth }}- {{ goal.title|mdtext }}
{{ goal_list(goal.children, depth + 1) }}
{%- endfor %}
{% endmacro %}
{{ goal_list(goals, 0) }}"""


def goal_chain(levels: int) -> list[dict[str, Any]]:
    goals: list[dict[str, Any]] = []
    for level in range(levels):
        goals = [{"title": f"goal {level}", "children": goals}]
    return goals


def test_macros_nest_up_to_the_limit_and_no_deeper() -> None:
    """The shipped goal tree recurses once per sub-goal level: 99 levels render (100
    nested calls), 100 are a problem at the recursive call, never a RecursionError."""
    shown = render_template(GOAL_TREE, "tree.j2", {"goals": goal_chain(99)}, autoescape=False)
    assert shown.count("- goal") == 99
    with pytest.raises(TemplateProblem, match="nest deeper than 100 levels") as caught:
        render_template(GOAL_TREE, "tree.j2", {"goals": goal_chain(100)}, autoescape=False)
    assert caught.value.line == 4  # the recursive call
    deep = Limits(max_depth=5000)  # Python's own recursion limit comes first
    with pytest.raises(TemplateProblem, match="macros call each other too deeply"):
        render_template(
            GOAL_TREE, "tree.j2", {"goals": goal_chain(2000)}, autoescape=False, limits=deep
        )


def test_loops_without_output_are_stopped() -> None:
    """With the default limit (10 M iterations) this stops after about 4 s; the
    mechanism is the same with a smaller one."""
    source = "{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}"
    found = problem(source, limits=Limits(max_steps=100_000))
    assert str(found).startswith("mine.md.j2:2: ")
    assert "more than 100,000 loop iterations" in str(found)


@pytest.mark.parametrize(
    "growth",
    ["ns.s ~ 'abcdefghij' * 60", "ns.s + 'abcdefghij' * 60", "ns.l + [i]", "ns.l + ns.l[:1]"],
)
def test_growing_a_text_or_list_by_copying_is_stopped(growth: str) -> None:
    """Each step copies the whole value: quadratic work (with the default limit of
    10^9 characters the first two stop within 2 s; 100,000 steps would take hours)."""
    target = "ns.l" if "ns.l" in growth else "ns.s"
    source = (
        "{% set ns = namespace(s='', l=[0]) %}\n{% for i in range(100000) %}"
        f"{{% set {target} = {growth} %}}{{% endfor %}}"
    )
    found = problem(source, limits=Limits(max_work=10**7))
    assert str(found).startswith("mine.md.j2:2: ")
    assert "built more than 10,000,000 characters or items in total" in str(found)


def test_the_view_model_is_unchanged_after_attempts_to_mutate_it() -> None:
    before = repr(VIEW)
    for source in ("{{ top.append(1) }}", "{{ t.update(x=1) }}", "{{ top.sort() }}"):
        problem(source)
    render_template(
        "{% set ns = namespace(top=top) %}{% set ns.top = [] %}{{ top|length }}",
        "n.j2",
        VIEW,
        autoescape=False,
    )
    assert repr(VIEW) == before


def test_output_size_is_capped() -> None:
    source = "{% for i in range(1000) %}{{ 'x' * 100 }}\n{% endfor %}"
    found = problem(source, limits=Limits(max_output=50_000))
    assert "longer than 50,000 characters" in str(found)
    assert len(render_template(source, "n.j2", {}, autoescape=False)) == 101_000


def test_a_macro_building_a_huge_text_is_capped() -> None:
    source = (
        "{% macro m() %}{% for i in range(10000) %}{{ 'x' * 10000 }}{% endfor %}{% endmacro %}"
        "{% set big = m() %}{{ big|length }}"
    )
    assert "longer than" in str(problem(source, limits=Limits(max_output=10**6)))


def test_a_template_is_read_with_its_name_and_from_stdin(tmp_path: Path) -> None:
    path = tmp_path / "mine.md.j2"
    path.write_text("# {{ title|mdtext }}\n{% for p in top %}| {{ p.title|md }} |\n{% endfor %}")
    source, name = read_template(path)
    assert name == str(path)
    assert render_template(source, name, VIEW, autoescape=False) == (
        "# &lt;img src=x onerror=alert(1)&gt;\n| E-Akte |\n| a\\|b |\n"
    )
    assert read_template("-", io.StringIO("{{ t.rank }}")) == ("{{ t.rank }}", "<stdin>")
    stdin_problem = problem("\n{{ missing }}", name="<stdin>")
    assert str(stdin_problem).startswith("<stdin>:2: ")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "is a folder"),
        (lambda p: p / "missing.j2", "no such file"),
    ],
)
def test_an_unreadable_template_is_a_usage_error(make: Any, message: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=message):
        read_template(make(tmp_path))
    (tmp_path / "latin1.j2").write_bytes(b"\xe4")
    with pytest.raises(UsageError, match="not UTF-8"):
        read_template(tmp_path / "latin1.j2")


def test_a_huge_template_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    limits = Limits(max_source=1000)
    path = tmp_path / "huge.j2"
    path.write_text("x" * 50_000)
    source, name = read_template(path, limits=limits)
    assert len(source) == 1001
    with pytest.raises(TemplateProblem) as caught:
        render_template(source, name, VIEW, autoescape=False, limits=limits)
    assert str(caught.value) == (
        f"{path}: the template is longer than 1,000 characters, the most a template may have"
    )


def test_same_template_markdown_then_html_escapes_in_html() -> None:
    """Issue 20 item 11: the compiled template must not be shared across autoescape."""
    source = "<h1>{{ title }}</h1>"
    markdown = render_template(source, "mine.j2", VIEW, autoescape=False)
    html = render_template(source, "mine.j2", VIEW, autoescape=True)
    assert markdown == "<h1><img src=x onerror=alert(1)></h1>"
    assert html == "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>"
    assert render_template(source, "mine.j2", VIEW, autoescape=False) == markdown


def test_autoescape_follows_the_output_format() -> None:
    assert autoescape_for("html")
    assert autoescape_for("md", "mine.html.j2")
    assert not autoescape_for("md", "mine.md.j2")


def plant_bytecode(
    folder: Path, names: list[tuple[str, str | None]], source: str, marker: Path
) -> None:
    """Jinja bytecode caches with code that writes ``marker``, under every key Jinja
    could compute for the template (name and file name in several spellings)."""
    code = compile(f"open({str(marker)!r}, 'w').write('ran')", "<planted>", "exec")
    folder.mkdir(parents=True, exist_ok=True)
    cache = FileSystemBytecodeCache(str(folder))
    checksum = sha1(source.encode("utf-8")).hexdigest()
    for name, filename in names:
        key = cache.get_cache_key(name, filename)
        with open(folder / f"__jinja2_{key}.cache", "wb") as handle:
            handle.write(bc_magic)
            pickle.dump(checksum, handle, 2)
            marshal.dump(code, handle)


def test_a_planted_bytecode_cache_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20 item 2: nothing but the template's text is loaded; no cache folder is
    created or read, so an unwritable one costs nothing either."""
    folder = tmp_path / "templates"
    folder.mkdir()
    path = folder / "report.md.j2"
    source = "real {{ t.rank }}\n"
    path.write_text(source)
    marker = tmp_path / "ran"
    names: list[tuple[str, str | None]] = [
        (n, f) for n in ("report.md.j2", str(path)) for f in (str(path), "report.md.j2", None)
    ]
    home = tmp_path / "home"
    cache_folders = [folder, tmp_path / "cache" / "templates", home / ".cache/roadmap/templates"]
    for cache_folder in cache_folders:
        plant_bytecode(cache_folder, names, source, marker)
    # the planted file is live: Jinja with a bytecode cache runs it on loading (and
    # then misses the template's names, which the attacker's code no longer needs)
    plain = Environment(
        loader=FileSystemLoader(str(folder)), bytecode_cache=FileSystemBytecodeCache(str(folder))
    )
    with pytest.raises(KeyError):
        plain.get_template("report.md.j2")
    assert marker.read_text() == "ran"
    marker.unlink()

    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(folder)
    folder.chmod(0o555)  # an unwritable template folder costs nothing
    try:
        text, name = read_template(path)
        assert render_template(text, name, VIEW, autoescape=False) == "real Rang\n"
        assert render_template(text, name, VIEW, autoescape=True) == "real Rang\n"
    finally:
        folder.chmod(0o755)
    assert not marker.exists()


def test_shipped_templates_compile_in_the_sandbox() -> None:
    """The code generator that checks ``~`` and the counted loops accept the shipped
    templates (their rendering is compared in the report tests)."""
    root = Path(__file__).resolve().parents[1] / "templates"
    filters = {"mermaid_id": lambda value: "p_" + str(value).replace("-", "_")}
    for path in sorted(root.glob("*.j2")):
        source, name = read_template(path)
        with pytest.raises(TemplateProblem, match="is undefined"):
            render_template(source, name, {}, autoescape=autoescape_for("", name), filters=filters)


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        [1, 2, 3],
        [[1] * 50] * 20,
        {"a": [1.5, None, True], "b": ("x", b"\x00y")},
        {1, 2},
        ["ä\n\x00", "\U0010ffff"],
        {"k": {"nested": [{"deep": ["x"] * 3}]}},
        10**300,
        [],
    ],
)
def test_the_text_size_is_an_upper_estimate_of_the_text(value: Any) -> None:
    """The sandbox refuses a value by the estimate before it builds the text: the
    estimate is never below the text's length and not far above it."""
    from roadmap.present.textsize import text_size

    chars = text_size(value).chars
    assert len(str(value)) <= chars <= 4 * len(str(value)) + 130


def test_a_value_within_the_limits_still_prints() -> None:
    shown = render_template(
        "{% set x = [[1] * 3] * 2 %}{{ x }} {{ x|tojson }} {{ x ~ '!' }}",
        "ok.j2",
        {},
        autoescape=False,
    )
    assert shown == "[[1, 1, 1], [1, 1, 1]] [[1, 1, 1], [1, 1, 1]] [[1, 1, 1], [1, 1, 1]]!"
