"""The Jinja environment for report templates, shipped or the user's own.

A template is input, like the data: it runs in Jinja's immutable sandbox (no Python
internals, no mutation of the view model), compiled in memory only (no bytecode cache
on disk that someone else could plant code in, nothing to write), with limits on what
it may build: the length of ``range()``, of any string or list, of the whole output,
the number of loop iterations, and how deeply macros nest. Whatever goes wrong ends in
:class:`~roadmap.errors.TemplateProblem` (exit 2) with the template's file and line.

One module on purpose (about 700 lines): it is one thing, the sandbox, whose guards
(operators, calls, filters, loops, output, compiled code) only hold together; split,
a guard would sit apart from the limits it enforces and a reviewer of the sandbox
would have to read several files to see that nothing is left unguarded.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import string
import sys
import types
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from gettext import NullTranslations
from pathlib import Path
from typing import Any, TextIO

from jinja2 import StrictUndefined, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.runtime import Context, LoopContext, Macro, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..errors import TemplateProblem, UsageError
from .escape import markdown_block, markdown_inline, mermaid_label
from .textsize import TextSize, TooDeep, text_size


@dataclass(frozen=True)
class Limits:
    """What one rendering may build. The shipped report of a 30,000-project portfolio
    stays far below each."""

    max_range: int = 100_000  # items of range(), batch(), slice()
    max_width: int = 10_000  # a width, indent or padding in a filter or format spec
    max_length: int = 64 * 2**20  # characters of any string or items of any list
    max_output: int = 64 * 2**20  # characters of the report (3,000 projects: 1.9 M in HTML)
    max_steps: int = 10_000_000  # loop iterations of one rendering
    # characters and items built by operators, filters and macros in one rendering: a
    # loop that grows a text or list by copying it would otherwise take hours
    max_work: int = 1_000_000_000
    max_depth: int = 100  # nested calls of macros, caller() and recursive loops
    max_source: int = 2**20  # characters of the template itself
    max_bits: int = 4096  # of an integer built with **
    max_nesting: int = 200  # lists or mappings inside each other in a value printed


DEFAULT_LIMITS = Limits()

# str (and bytes, Markup) methods a template may call; the rest (translate, …) could
# build a value whose size no check here foresees.
_STR_METHODS = frozenset(
    "capitalize casefold center count encode endswith expandtabs find index isalnum "
    "isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace "
    "istitle isupper join ljust lower lstrip partition removeprefix removesuffix replace "
    "rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip "
    "swapcase title upper zfill decode format format_map striptags unescape".split()
)
# filters that never turn their value into text; every other one is asked first how
# long the text would be (|string, |e, |md, |pprint of a list repeating a big list)
_NOT_TEXT = frozenset(
    "abs attr batch count d default dictsort first float groupby int items last length "
    "list map max min random reject rejectattr reverse round select selectattr slice "
    "sort sum unique".split()
)
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")


def _escape_filters() -> dict[str, Callable[..., str]]:
    """The filters every report template has: ``md`` and ``mdtext`` for text in a
    Markdown table cell or line, ``mdblock`` for a paragraph of its own (a vision),
    ``mermaid`` for a title in a Mermaid chart."""
    return {
        "md": lambda value: markdown_inline(str(value)),
        "mdtext": lambda value: markdown_inline(str(value)),
        "mdblock": lambda value: markdown_block(str(value)),
        "mermaid": lambda value: mermaid_label(str(value)),
    }


class _CheckedCodeGenerator(CodeGenerator):
    """Jinja's code generator, except that ``a ~ b`` goes through the environment, which
    checks the length before joining (Jinja calls a module-level join otherwise)."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_join((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("), ")
        if frame.eval_ctx.volatile:
            self.write("context.eval_ctx.volatile")
        else:
            self.write(repr(bool(frame.eval_ctx.autoescape)))
        self.write(")")


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple)


class _Counted:
    """A loop's iterable that counts each item against the rendering's step budget."""

    def __init__(self, environment: ReportEnvironment, iterable: Any) -> None:
        self._environment = environment
        self._iterable = iterable

    def __len__(self) -> int:
        return len(self._iterable)

    def __iter__(self) -> Iterator[Any]:
        step = self._environment.step
        for item in self._iterable:
            step()
            yield item


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with limits; one per rendering (it counts)."""

    code_generator_class = _CheckedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(
        self,
        autoescape: bool,
        filters: Mapping[str, Callable[..., Any]] | None = None,
        limits: Limits = DEFAULT_LIMITS,
        translations: Any = None,
    ) -> None:
        super().__init__(
            extensions=["jinja2.ext.i18n"],
            undefined=StrictUndefined,
            autoescape=autoescape,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=0,
            finalize=self._finalize,
        )
        self.limits = limits
        self.steps = 0
        self.work = 0
        self.depth = 0
        self.globals["range"] = self._range
        del self.globals["lipsum"]  # builds text of any size on request
        self._guard_filters()
        self.filters.update(_escape_filters())
        self.filters.update(filters or {})
        self._install_gettext(translations or NullTranslations())

    def _install_gettext(self, translations: Any) -> None:
        """Jinja's i18n extension (``{% trans %}``, ``_()``, ``ngettext``, ``pgettext``,
        ``npgettext``) with the catalog of the report's language, in the new style
        (variables as keywords, the text always formatted). The formatting is checked
        like ``%`` in a template: a message may repeat a variable, not build gigabytes."""
        environment = self

        def formatted(context: Context, text: str, variables: dict[str, Any]) -> str:
            if context.eval_ctx.autoescape:
                text = Markup(text)
            environment._check_percent(str(text), variables)
            result: str = text % variables
            return result

        @pass_context
        def gettext(__context: Context, __string: str, **variables: Any) -> str:
            return formatted(__context, translations.gettext(__string), variables)

        @pass_context
        def ngettext(
            __context: Context, __singular: str, __plural: str, __num: int, **variables: Any
        ) -> str:
            variables.setdefault("num", __num)
            text = translations.ngettext(__singular, __plural, __num)
            return formatted(__context, text, variables)

        @pass_context
        def pgettext(__context: Context, __string_ctx: str, __string: str, **variables: Any) -> str:
            text = translations.pgettext(__string_ctx, __string)
            return formatted(__context, text, variables)

        @pass_context
        def npgettext(
            __context: Context,
            __string_ctx: str,
            __singular: str,
            __plural: str,
            __num: int,
            **variables: Any,
        ) -> str:
            variables.setdefault("num", __num)
            text = translations.npgettext(__string_ctx, __singular, __plural, __num)
            return formatted(__context, text, variables)

        self.newstyle_gettext = True
        self.globals.update(
            gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
        )

    # ----------------------------------------------------------------- checks

    def _refuse(self, what: str) -> SecurityError:
        return SecurityError(what)

    def check_length(self, length: int, what: str = "a value", items: bool = False) -> None:
        """A value about to be built (or just built): not too long, and its size counted
        against the work of the whole rendering (an item of a list costs about as much
        to copy as eight characters)."""
        if length > self.limits.max_length:
            raise self._refuse(
                f"{what} would have {length:,} characters or items; a template may build "
                f"at most {self.limits.max_length:,}"
            )
        self.charge(length * 8 if items else length)

    def charge(self, size: int) -> None:
        self.work += size
        if self.work > self.limits.max_work:
            raise self._refuse(
                f"the template built more than {self.limits.max_work:,} characters or items "
                "in total (e.g. by growing a text or list in a loop)"
            )

    def text_size(self, value: Any) -> TextSize:
        """How long ``value``'s text would be, without building it."""
        try:
            return text_size(value, self.limits.max_nesting)
        except TooDeep as exc:
            raise self._refuse(str(exc)) from None

    def check_text(self, value: Any, what: str = "the text of a value", indent: int = 0) -> None:
        """``value`` is about to become text: refuse it before the text is built when it
        would be too long (a list repeating a big list prints all of it each time).
        ``indent``: the text puts each nested item on a line of its own, indented by
        this much per level (|pprint, |tojson)."""
        if isinstance(value, str):
            return  # already text: its length was checked when it was built
        size = self.text_size(value)
        lines = size.items * (1 + size.depth * indent) if indent else 0
        self.check_length(size.chars + lines, what)

    def _finalize(self, value: Any) -> Any:
        """Every ``{{ value }}`` before it is printed."""
        self.check_text(value, "the printed value")
        return value

    def check_width(self, width: object, what: str) -> None:
        if isinstance(width, int) and width > self.limits.max_width:
            raise self._refuse(
                f"{what} {width:,} is more than the {self.limits.max_width:,} allowed"
            )

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.limits.max_steps:
            raise self._refuse(
                f"the template ran more than {self.limits.max_steps:,} loop iterations"
            )

    def counted(self, iterable: Any) -> _Counted:
        return _Counted(self, iterable)

    def _range(self, *args: int) -> range:
        result = range(*args)
        if len(result) > self.limits.max_range:
            raise self._refuse(
                f"range() of {len(result):,} items; a template may use at most "
                f"{self.limits.max_range:,}"
            )
        return result

    def _check_percent(self, text: str, values: Any) -> None:
        """``text % values`` (and the ``format`` filter): widths bounded, and the result's
        length estimated before it is built."""
        fields = 0
        for match in _PERCENT_SPEC.finditer(text):
            if match[3] == "%":
                continue
            fields += 1
            for number in (match[1], match[2]):
                if number == "*":
                    raise self._refuse("'*' widths in % formatting are not available")
                if number:
                    self.check_width(int(number), "a width in % formatting")
        items = values.values() if isinstance(values, Mapping) else values
        items = items if isinstance(items, tuple | list) or isinstance(values, Mapping) else [items]
        longest = max((self.text_size(v).chars for v in items), default=0)
        self.check_length(len(text) + fields * longest, "the formatted text")

    def _check_format(self, text: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        """``text.format(…)``: no nested specs, widths bounded, length estimated."""
        fields = 0
        for _, field, spec, _ in string.Formatter().parse(text):
            if field is None:
                continue
            fields += 1
            if spec and "{" in spec:
                raise self._refuse("nested replacement fields in a format spec are not available")
            for number in re.findall(r"\d+", spec or ""):
                self.check_width(int(number), "a width in a format spec")
        longest = max((self.text_size(v).chars for v in (*args, *kwargs.values())), default=0)
        self.check_length(len(text) + fields * longest, "the formatted text")

    # ----------------------------------------------------------------- operators

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        sized = (str, bytes, list, tuple)
        if operator == "*":
            if isinstance(left, sized) and isinstance(right, int):
                self.check_length(self._repeated(left) * right, "a repetition", _is_list(left))
            elif isinstance(right, sized) and isinstance(left, int):
                self.check_length(self._repeated(right) * left, "a repetition", _is_list(right))
        elif operator == "+":
            if isinstance(left, sized) and isinstance(right, sized):
                self.check_length(len(left) + len(right), "a sum", _is_list(left))
        elif operator == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and abs(left) > 1
                and right * math.log2(abs(left)) > self.limits.max_bits
            ):
                raise self._refuse(
                    f"{left} ** {right} would have more than {self.limits.max_bits} bits"
                )
        elif operator == "%" and isinstance(left, str):
            self._check_percent(left, right)
        return super().call_binop(context, operator, left, right)

    def _repeated(self, value: str | bytes | list[Any] | tuple[Any, ...]) -> int:
        """What one copy of a repeated value holds: its characters, or its items
        counting those of the lists inside (``[[1] * 1000] * 10**6`` is 10**9 items)."""
        return self.text_size(value).items if _is_list(value) else len(value)

    def checked_join(self, values: tuple[Any, ...], markup: bool) -> str:
        """``a ~ b ~ …``: the parts as text, joined once their length is known to fit."""
        for value in values:
            self.check_text(value, "a joined text")
        texts = [v if isinstance(v, str) else str(v) for v in values]
        self.check_length(sum(map(len, texts)), "a joined text")
        return markup_join(texts) if markup else str_join(texts)

    def concat(self, pieces: Iterable[str]) -> str:
        """The rendered output (and a macro's): stop once it grows past the limit."""
        parts: list[str] = []
        total = 0
        for piece in pieces:
            total += len(piece)
            if total > self.limits.max_output:
                raise self._refuse(
                    f"the output would be longer than {self.limits.max_output:,} characters"
                )
            parts.append(piece)
        self.charge(total)
        return "".join(parts)

    # ----------------------------------------------------------------- calls

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text: str = value.__self__
        is_map = value.__name__ == "format_map"

        def checked(*args: Any, **kwargs: Any) -> str:
            if is_map and len(args) == 1 and isinstance(args[0], Mapping):
                self._check_format(text, (), args[0])
            else:
                self._check_format(text, args, kwargs)
            return wrapper(*args, **kwargs)

        return checked

    def _checked_call(self, obj: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """Refuse or bound the calls whose result could grow without limit."""
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if isinstance(obj, types.BuiltinMethodType | types.MethodType) and isinstance(
            owner, str | bytes
        ):
            if name not in _STR_METHODS:
                raise self._refuse(f"str.{name}() is not available in templates")
            if name in ("center", "ljust", "rjust", "zfill") and args:
                self.check_width(args[0], f"the width of {name}()")
            elif name == "expandtabs":
                size = args[0] if args else 8
                self.check_width(size, "the tab size of expandtabs()")
            elif name == "replace" and len(args) >= 2:
                old, new = args[0], args[1]
                count = owner.count(old) if old else len(owner) + 1
                if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
                    count = min(count, args[2])
                self.check_length(len(owner) + count * max(0, len(new) - len(old)), "replace()")
            elif name == "join" and args:
                items = list(args[0])
                self.check_length(
                    sum(len(i) if isinstance(i, str | bytes) else 0 for i in items)
                    + len(owner) * len(items),
                    "join()",
                )
                args = (items, *args[1:])
        elif name == "to_bytes" and isinstance(owner, int):
            raise self._refuse("int.to_bytes() is not available in templates")
        return args

    def call(
        __self,  # Jinja's signature: keyword arguments may be named self
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if __obj == __self.counted:  # the wrapper of every loop: no nesting of its own
            return __self.counted(*args)
        args = __self._checked_call(__obj, args)
        if isinstance(__obj, LoopContext) and args:
            args = (__self.counted(args[0]), *args[1:])
        __self.depth += 1
        try:
            if __self.depth > __self.limits.max_depth:
                raise __self._refuse(
                    f"macros, caller() or recursive loops nest deeper than "
                    f"{__self.limits.max_depth} levels"
                )
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            __self.depth -= 1
        if not isinstance(__obj, Macro | LoopContext) and isinstance(
            result, str | bytes | list | tuple
        ):
            __self.check_length(len(result), items=_is_list(result))
        return result

    # ----------------------------------------------------------------- filters

    def _guard_filters(self) -> None:
        """Wrap Jinja's filters: widths and counts bounded, sizes estimated where one
        call could grow without limit, every result's length checked."""
        checked = self._filter_checks()
        for name, check in checked.items():
            self._guard(name, check)
        self.filters["join"] = self._join_filter(self.filters["join"])
        self.filters["sum"] = self._sum_filter(self.filters["sum"])
        special = set(checked) | {"join", "sum"}
        for name in list(self.filters):
            if name not in special:
                self._guard(name)  # results of bounded growth (|e, |urlencode): length checked

    def _guard(self, name: str, check: Callable[..., None] | None = None) -> None:
        """The filter ``name`` wrapped: its text input and result measured, and
        ``check`` run on its arguments before it runs."""
        original = self.filters[name]
        # a filter marked pass_context/eval_context/environment gets that first
        passed = 1 if getattr(original, "jinja_pass_arg", None) else 0
        # pprint and tojson may put every nested item on a line of its own
        indent = {"pprint": 1, "tojson": 16}.get(name, 0)
        makes_text = name not in _NOT_TEXT

        @functools.wraps(original)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if makes_text and len(args) > passed:
                self.check_text(args[passed], f"the text |{name} makes", indent)
            if check is not None:
                check(*args[passed:], **kwargs)
            result = original(*args, **kwargs)
            if isinstance(result, str | bytes | list | tuple):
                self.check_length(len(result), f"the result of |{name}", _is_list(result))
            return result

        self.filters[name] = guarded

    def _filter_checks(self) -> dict[str, Callable[..., None]]:
        """Filter name → a check of its arguments: what one call could make grows with
        a width, a count or a replacement, so it is bounded before the call."""
        limits = self.limits

        def center(value: Any, width: int = 80) -> None:
            self.check_width(width, "the width of |center")

        def indent(value: Any, width: int | str = 4, *_: Any, **__: Any) -> None:
            text = str(value)
            if isinstance(width, int):
                self.check_width(width, "the width of |indent")
                width = " " * max(0, width)
            self.check_length(len(text) + (text.count("\n") + 1) * len(str(width)), "|indent")

        def wordwrap(value: Any, width: int = 79, *args: Any, **kwargs: Any) -> None:
            wrapstring = kwargs.get("wrapstring", args[1] if len(args) > 1 else None) or "\n"
            self.check_length(len(str(value)) * (1 + len(str(wrapstring))), "|wordwrap")

        def replace(value: Any, old: Any, new: Any, count: Any = None) -> None:
            text, old, new = str(value), str(old), str(new)
            times = text.count(old) if old else len(text) + 1
            if isinstance(count, int):
                times = min(times, count)
            self.check_length(len(text) + times * max(0, len(new) - len(old)), "|replace")

        def format_(value: Any, *args: Any, **kwargs: Any) -> None:
            self._check_percent(str(value), kwargs or args)

        def batch(value: Any, linecount: int, *_: Any) -> None:
            if linecount > limits.max_range:
                raise self._refuse(f"|batch({linecount:,}) is more than {limits.max_range:,}")

        def slice_(value: Any, slices: int, *_: Any) -> None:
            if slices > limits.max_range:
                raise self._refuse(f"|slice({slices:,}) is more than {limits.max_range:,}")

        def tojson(value: Any, indent: Any = None) -> None:
            size = len(indent) if isinstance(indent, str) else indent
            if isinstance(size, int) and size > 16:
                raise self._refuse(f"|tojson indent {size:,} is more than the 16 allowed")

        return {
            "center": center,
            "indent": indent,
            "wordwrap": wordwrap,
            "replace": replace,
            "format": format_,
            "batch": batch,
            "slice": slice_,
            "tojson": tojson,
        }

    def _join_filter(self, original: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(original)
        def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
            items = list(value)
            if attribute is None:
                size = sum(self.text_size(i).chars for i in items) + len(str(d)) * len(items)
                self.check_length(size, "|join")
            result = original(eval_ctx, items, d, attribute)
            self.check_length(len(result), "|join")
            return result

        return join

    def _sum_filter(self, original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def sum_(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
            items = list(iterable)
            if not isinstance(start, int | float):
                size = sum(len(i) if hasattr(i, "__len__") else 0 for i in items)
                self.check_length(size + len(start), "|sum")
            return original(environment, items, attribute, start)

        return sum_

    # ----------------------------------------------------------------- parsing

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every ``for`` loop iterates through :meth:`counted`, so a template cannot spin
        through nested loops for hours without output."""
        tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("counted", lineno=loop.lineno),
                [loop.iter],
                [],
                None,
                None,
                lineno=loop.lineno,
            )
        return tree


# --------------------------------------------------------------------------- rendering


class _CompiledTemplates:
    """Compiled template code in this process only, keyed by the template's name, the
    hash of its text, the autoescape setting and the filter names: the same text with
    autoescape off and on is compiled twice (issue 20, item 11)."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, str, bool, tuple[str, ...]], types.CodeType] = (
            OrderedDict()
        )

    def get(self, environment: ReportEnvironment, source: str, name: str) -> types.CodeType:
        key = (
            name,
            hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(),
            bool(environment.autoescape),
            tuple(sorted(environment.filters)),
        )
        code = self._entries.get(key)
        if code is None:
            code = environment.compile(source, name=name, filename=name)
            self._entries[key] = code
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return code


_COMPILED = _CompiledTemplates()


def autoescape_for(output_format: str, template_name: str = "") -> bool:
    """HTML (and XML, SVG) output is autoescaped; Markdown and text are not (their values
    pass the ``md``/``mdtext``/``mermaid`` filters instead)."""
    return output_format.lower() in ("html", "xml", "svg") or template_name.lower().endswith(
        (".html", ".htm", ".xml", ".svg", ".html.j2", ".htm.j2", ".xml.j2", ".svg.j2")
    )


def render_template(
    source: str,
    name: str,
    view: Mapping[str, Any],
    *,
    autoescape: bool,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    translations: Any = None,
) -> str:
    """Render ``source`` (called ``name`` in messages, e.g. its path or ``<stdin>``) with
    the view model; ``{% trans %}`` and ``_()`` translate with ``translations`` (a
    ``gettext.NullTranslations`` or Babel's; English when not given). Raises
    :class:`TemplateProblem` with the file and line for any syntax error, unknown name,
    sandbox refusal or exhausted limit."""
    if len(source) > limits.max_source:
        raise TemplateProblem(
            name,
            None,
            f"the template is longer than {limits.max_source:,} characters, the most "
            "a template may have",
        )
    environment = ReportEnvironment(autoescape, filters, limits, translations)
    try:
        code = _COMPILED.get(environment, source, name)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(name, exc.lineno, f"syntax error: {exc.message}") from None
    except Exception as exc:  # a filter refused a constant while compiling, a limit
        raise _problem(exc, name) from None
    template = environment.template_class.from_code(
        environment, code, environment.make_globals(None), None
    )
    try:
        return template.render(dict(view))
    except Exception as exc:
        raise _problem(exc, name) from None


def _problem(exc: BaseException, name: str) -> TemplateProblem:
    line = _template_line(exc, name)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateProblem(name, exc.lineno, f"syntax error: {exc.message}")
    if isinstance(exc, SecurityError):
        message = f"the sandbox refuses this: {exc}"
    elif isinstance(exc, UndefinedError):
        message = f"{exc.message}; the README lists what a template receives"
    elif isinstance(exc, TemplateNotFound) or "no loader" in str(exc):
        message = "a template cannot include, import or extend other files"
    elif isinstance(exc, RecursionError):
        message = "macros call each other too deeply"
    elif isinstance(exc, MemoryError):
        message = "the template built more than the memory holds"
    elif isinstance(exc, TemplateError):
        message = str(exc.message)
    else:
        message = f"{type(exc).__name__}: {exc}"
    return TemplateProblem(name, line, message)


def _template_line(exc: BaseException, name: str) -> int | None:
    """The innermost line of the template in the traceback (Jinja rewrites tracebacks so
    that template code appears as frames of the template's file)."""
    line = None
    trace: types.TracebackType | None = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == name:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def read_template(
    path: str | Path, stdin: TextIO | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[str, str]:
    """A user template's text and the name to show in messages; ``-`` reads standard
    input (``--template -``). At most one character more than the limit is read, so a
    huge file costs no memory and :func:`render_template` names the limit."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin
        if stream is None:
            raise UsageError("--template -: standard input is closed")
        try:
            return stream.read(limits.max_source + 1), "<stdin>"
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"--template -: standard input is not UTF-8 text ({exc.reason})"
            ) from None
    file = Path(path)
    try:
        if file.is_dir():
            raise UsageError(f"--template {file}: is a folder; give a template file")
        with open(file, encoding="utf-8") as handle:
            return handle.read(limits.max_source + 1), str(file)
    except FileNotFoundError:
        raise UsageError(f"--template {file}: no such file") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"--template {file}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise UsageError(f"--template {file}: cannot be read ({exc.strerror})") from None
