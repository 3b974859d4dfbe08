"""Plain data (TOML, YAML) checked into frozen dataclasses, and validation errors in words.

`validate` is a small schema engine for our own files (newsletter.toml, an issue's front
matter): pydantic costs ~100 ms of import and schema building on every command, more than the
whole render. Its errors have the shape of pydantic's (`loc`, `type`, `msg`, `input`, `ctx`), so
`describe_error` is the one translator of both into words: a key, its value, what is expected.
The `msg` of our errors stays English (it is data, like pydantic's); the words the user reads
are made by `describe_error` from `type` and `ctx`, in the language in use, and a location is
named as a person would (`sections[0].id` -> "id of the 1st section").

A schema is a subclass of `Schema` with annotated fields, as a frozen keyword-only dataclass;
a field's constraints go in its metadata: `field(default=…, metadata=rule(...))`. Supported types: str, int, float, bool,
Literal[...], an Enum, X | None, list[X], and a nested Schema.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self, TypedDict, dataclass_transform

from newsletter import formats, i18n
from newsletter.i18n import _, ngettext

ErrorLocation = tuple[str | int, ...]


class ErrorDetails(TypedDict, total=False):
    """One validation error, with the keys of pydantic's `ErrorDetails`."""

    loc: ErrorLocation
    type: str
    msg: str
    input: Any
    ctx: dict[str, Any]


class SchemaError(ValueError):
    """Data that does not fit its schema; `errors()` lists every problem, as pydantic does."""

    def __init__(self, errors: list[ErrorDetails]) -> None:
        super().__init__(f"{len(errors)} validation error(s)")
        self._errors = errors

    def errors(self) -> list[ErrorDetails]:
        return list(self._errors)


def rule(
    *,
    pattern: str | None = None,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
    min_length: int | None = None,
    expected: str | None = None,
    check: Callable[[Any], str | None] | None = None,
) -> dict[str, Any]:
    """Field metadata: constraints, `expected` (what the user should write, in words), and
    `check` (a function returning what is expected when the value is wrong, else None)."""
    return {
        "rule": {
            "pattern": re.compile(pattern) if pattern else None,
            "gt": gt,
            "ge": ge,
            "le": le,
            "min_length": min_length,
            "expected": expected,
            "check": check,
        }
    }


_MISSING: Any = object()


class _Field:
    __slots__ = ("default", "default_factory", "metadata", "compare")

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, metadata: Mapping[str, Any] | None, compare: bool) -> None:
        self.default = default
        self.default_factory = default_factory
        self.metadata = metadata or {}
        self.compare = compare


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    compare: bool = True,
) -> Any:
    """A Schema field with a default, a default factory, and metadata (see `rule`)."""
    return _Field(default, default_factory, metadata, compare)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
class Schema:
    """Base of the validated records: frozen, keyword-only, compared and printed by their fields.

    A subclass declares annotated fields as a dataclass does. It is not a dataclass: building
    one costs ~1-2 ms of generated code per class on every start, and the settings alone are a
    dozen classes; here the fields are read once, when the first instance is made.
    `model_validate` and `model_copy` work as on pydantic models.
    """

    __schema_fields__: dict[str, _Field]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = {
            name: value if isinstance(value, _Field) else _Field(cls.__dict__.get(name, _MISSING), None, None, True)
            for name, value in ((name, cls.__dict__.get(name, _MISSING)) for name in cls.__dict__.get("__annotations__", {}))
            if not name.startswith("__")
        }
        inherited = {name: spec for base in reversed(cls.__mro__[1:]) for name, spec in getattr(base, "__schema_fields__", {}).items()}
        cls.__schema_fields__ = {**inherited, **own}
        for name in own:  # the class attribute would shadow nothing useful: instances hold values
            if name in cls.__dict__:
                delattr(cls, name)

    def __init__(self, **values: Any) -> None:
        spec = type(self).__schema_fields__
        unknown = set(values) - set(spec)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {', '.join(sorted(unknown))}")
        for name, item in spec.items():
            if name in values:
                value = values[name]
            elif item.default_factory is not None:
                value = item.default_factory()
            elif item.default is not _MISSING:
                value = item.default
            else:
                raise TypeError(f"{type(self).__name__}() missing required keyword argument: '{name}'")
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field '{name}'")

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name, item in type(self).__schema_fields__.items() if item.compare)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Schema)
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash((type(self), self._compared()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__schema_fields__)
        return f"{type(self).__name__}({shown})"

    @classmethod
    def model_validate(cls, data: object) -> Self:
        """`data` checked against the class; SchemaError lists every problem."""
        errors: list[ErrorDetails] = []
        value = _validate_schema(cls, data, (), errors)
        if errors:
            raise SchemaError(errors)
        assert isinstance(value, cls)
        return value

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """A copy with some fields replaced (not validated, as with pydantic)."""
        values = {name: getattr(self, name) for name in type(self).__schema_fields__}
        return type(self)(**{**values, **dict(update or {})})


_NUMBER_WORDS = {int: "a whole number", float: "a number"}


def _error(errors: list[ErrorDetails], loc: ErrorLocation, kind: str, msg: str, value: Any, **ctx: Any) -> None:
    errors.append(ErrorDetails(loc=loc, type=kind, msg=msg, input=value, ctx=ctx))


_FieldInfo = tuple[str, Any, "dict[str, Any] | None", bool]
_FIELD_INFO: dict[type, tuple[_FieldInfo, ...]] = {}


def _fields(cls: type[Schema]) -> tuple[_FieldInfo, ...]:
    """(name, type, rule, required) of each field; type hints resolved once per class."""
    if cls not in _FIELD_INFO:
        hints = typing.get_type_hints(cls)
        _FIELD_INFO[cls] = tuple(
            (name, hints[name], spec.metadata.get("rule"), spec.default is _MISSING and spec.default_factory is None)
            for name, spec in cls.__schema_fields__.items()
        )
    return _FIELD_INFO[cls]


def _validate_schema(cls: type[Schema], data: object, loc: ErrorLocation, errors: list[ErrorDetails]) -> object:
    if not isinstance(data, Mapping):
        _error(errors, loc, "model_type", "expected a table of keys (a [section] or { key = value })", data, toml=True)
        return None
    known = _fields(cls)
    names = {info[0] for info in known}
    before = len(errors)
    for key in data:
        if key not in names:
            _error(errors, (*loc, key), "extra_forbidden", "unknown key", data[key])
    values: dict[str, Any] = {}
    for name, hint, constraints, required in known:
        if name not in data:
            if required:
                _error(errors, (*loc, name), "missing", "this key is required", data)
            continue
        values[name] = _validate_value(hint, data[name], (*loc, name), errors, constraints)
    if len(errors) > before:
        return None
    return cls(**values)


def _choices(values: Sequence[object]) -> str:
    """'a', 'b' or 'c' (pydantic's wording)."""
    quoted = [repr(value) for value in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _describe_type(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        values: Sequence[object] = typing.get_args(hint)
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        values = [member.value for member in hint]
    else:
        return {str: "text", bool: "true or false", int: "a whole number", float: "a number"}.get(hint, "a value")
    return ("one of " if len(values) > 2 else "") + _choices(values)


def _validate_value(hint: Any, value: Any, loc: ErrorLocation, errors: list[ErrorDetails], constraints: dict[str, Any] | None) -> Any:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None:
            return None
        hint = options[0]
        origin = typing.get_origin(hint)
    expected = constraints["expected"] if constraints and constraints["expected"] else None
    if origin is list:
        if not isinstance(value, list):
            example = _example(typing.get_args(hint)[0])
            _error(errors, loc, "list_type", f"expected a list, such as [{example}]", value, example=example)
            return None
        (item_hint,) = typing.get_args(hint)
        return [_validate_value(item_hint, item, (*loc, index), errors, None) for index, item in enumerate(value)]
    if origin is typing.Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            _error(errors, loc, "literal_error", f"expected {_describe_type(hint)}", value, expected=_choices(allowed), choices=list(allowed))
            return None
        return value
    if isinstance(hint, type) and issubclass(hint, Schema):
        return _validate_schema(hint, value, loc, errors)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            members = [m.value for m in hint]
            _error(errors, loc, "enum", f"expected {_describe_type(hint)}", value, expected=_choices(members), choices=members)
            return None
    if hint is dt.date:
        return _date(value, loc, errors, expected)
    if not _is_instance(hint, value):
        _error(errors, loc, f"{hint.__name__}_type", f"expected {expected or _describe_type(hint)}", value, words=expected)
        return None
    if constraints and not _meets(constraints, value, loc, errors):
        return None
    return float(value) if hint is float else value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any, loc: ErrorLocation, errors: list[ErrorDetails], expected: str | None) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    _error(errors, loc, "date_type", f"expected {expected or 'a date written YYYY-MM-DD, for example 2026-12-08'}", value, words=expected)
    return None


def _example(hint: Any) -> str:
    return {str: '"…"', int: "2", float: "1.5"}.get(hint, "…")


def _is_instance(hint: Any, value: Any) -> bool:
    if hint is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False  # TOML's true is not a number
    if hint is float:
        return isinstance(value, int | float)
    return isinstance(value, hint)


def _meets(constraints: dict[str, Any], value: Any, loc: ErrorLocation, errors: list[ErrorDetails]) -> bool:
    expected = constraints["expected"]
    pattern = constraints["pattern"]
    # `$` also matches before a final line break, which a pattern's author never means.
    if pattern is not None and (not pattern.search(value) or value.endswith("\n")):
        _error(errors, loc, "string_pattern_mismatch", f"expected {expected or 'text matching ' + pattern.pattern}", value, pattern=pattern.pattern, words=expected)
        return False
    min_length = constraints["min_length"]
    if min_length is not None and len(value) < min_length:
        _error(errors, loc, "string_too_short", f"expected {expected or f'at least {min_length} characters'}", value, min_length=min_length, words=expected)
        return False
    if isinstance(value, float) and not math.isfinite(value):  # TOML has inf and nan
        _error(errors, loc, "finite_number", "expected a finite number", value)
        return False
    for bound, kind, words in (("gt", "greater_than", "greater than"), ("ge", "greater_than_equal", "at least"), ("le", "less_than_equal", "at most")):
        limit = constraints[bound]
        if limit is None:
            continue
        if (bound == "gt" and not value > limit) or (bound == "ge" and not value >= limit) or (bound == "le" and not value <= limit):
            _error(errors, loc, kind, f"expected a number {words} {limit}", value, **{bound: limit})
            return False
    check = constraints["check"]
    if check is not None:
        problem = check(value)
        if problem:
            _error(errors, loc, "value_error", f"expected {problem}", value, words=problem)
            return False
    return True


# pydantic's error types in the same words as ours (ours use the same type names, plus str_type).
_TYPE_KINDS: Mapping[str, str] = {
    "string_type": "text", "str_type": "text",
    "int_type": "whole", "int_parsing": "whole", "int_from_float": "whole",
    "float_type": "number", "float_parsing": "number",
    "bool_type": "bool", "bool_parsing": "bool",
    "list_type": "list", "tuple_type": "list", "set_type": "list", "frozen_set_type": "list", "iterable_type": "list",
    "dict_type": "table", "model_type": "table", "model_attributes_type": "table",
    "date_type": "date", "date_from_datetime_parsing": "date",
    "datetime_type": "datetime", "datetime_from_date_parsing": "datetime",
    "finite_number": "finite",
}


def _type_words(kind: str) -> str:
    """What a value of this type looks like, in words (the key is one of _TYPE_KINDS' values)."""
    words = {
        "text": _("expected text"),
        "whole": _("expected a whole number"),
        "number": _("expected a number"),
        "bool": _("expected true or false"),
        "list": _("expected a list"),
        "table": _("expected a table of keys"),
        "date": _("expected a date written YYYY-MM-DD, for example 2026-12-08"),
        "datetime": _("expected a date and time such as 2026-12-08T09:30:00+01:00"),
        "finite": _("expected a finite number"),
    }
    return words[kind]


def _bound_words(bound: str, limit: str) -> str:
    if bound == "gt":
        return _("expected a number greater than {limit}").format(limit=limit)
    if bound == "ge":
        return _("expected a number at least {limit}").format(limit=limit)
    if bound == "lt":
        return _("expected a number less than {limit}").format(limit=limit)
    return _("expected a number at most {limit}").format(limit=limit)


# A rule's `expected` words are marked N_ where the rule is written (config.py, frontmatter.py)
# and translated here, when the error is described: the catalog lookup of a marked constant.
# (`_` itself is kept for literals, which the extractor and tests/test_i18n.py read.)
_translate_marked = _


def _number(value: object) -> str:
    """A limit as the user writes numbers: 10000 -> '10 000' in French."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or value.is_integer():
        return formats.integer(int(value))
    digits = min(len(repr(value).partition(".")[2]), 6)
    return formats.decimal(value, digits)


def _one_of(values: Sequence[object]) -> str:
    """expected 'a', 'b' or 'c', in the language in use."""
    shown = [quoted(value) for value in values]
    if len(shown) == 1:
        return _("expected {value}").format(value=shown[0])
    if len(shown) == 2:
        return _("expected {first} or {second}").format(first=shown[0], second=shown[1])
    return _("expected one of {choices} or {last}").format(choices=", ".join(shown[:-1]), last=shown[-1])


def _expected(error: Mapping[str, Any]) -> str:
    """What the value should have been, in words, in the language in use."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    words = ctx.get("words")
    if isinstance(words, str) and words:
        # A rule's own words (marked N_ where the rule is written) or a check's answer.
        return _("expected {what}").format(what=_translate_marked(words))
    if kind in {"enum", "literal_error"}:
        if isinstance(ctx.get("choices"), list):
            return _one_of(ctx["choices"])
        if "expected" in ctx:
            return _("expected one of {choices}").format(choices=ctx["expected"])
    if kind == "model_type" and ctx.get("toml"):
        return _("expected a table of keys (a [section] or { key = value })")
    if kind == "list_type" and "example" in ctx:
        return _("expected a list, such as [{example}]").format(example=ctx["example"])
    if kind == "string_pattern_mismatch" and "pattern" in ctx:
        return _("expected text matching {pattern}").format(pattern=ctx["pattern"])
    if kind == "string_too_short" and "min_length" in ctx:
        count = int(ctx["min_length"])
        return ngettext("expected at least {n} character", "expected at least {n} characters", count).format(n=formats.integer(count))
    if kind in _TYPE_KINDS:
        return _type_words(_TYPE_KINDS[kind])
    for bound in ("gt", "ge", "lt", "le"):
        if bound in ctx:
            return _bound_words(bound, _number(ctx[bound]))
    return message


def ordinal(number: int, *, feminine: bool = False) -> str:
    """1 -> '1st' in English; '1er', or '1re' for a feminine noun, in French; 2 -> '2e'."""
    if i18n.language() == "fr":
        return (f"{number}re" if feminine else f"{number}er") if number == 1 else f"{number}e"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _item(list_name: str, whole: str, index: int, key: str | None) -> str:
    """The `index`-th item of a list, named as a person would: 'the 1st section', 'id of the 2nd feed'."""
    if list_name == "sections" and whole == "sections":
        place = ordinal(index + 1, feminine=True)
        if key is None:
            return _("the {ordinal} section").format(ordinal=place)
        return _("{key} of the {ordinal} section").format(key=key, ordinal=place)
    if list_name == "feeds" and whole == "feeds":
        place = ordinal(index + 1)
        if key is None:
            return _("the {ordinal} feed").format(ordinal=place)
        return _("{key} of the {ordinal} feed").format(key=key, ordinal=place)
    place = ordinal(index + 1)
    if key is None:
        return _("the {ordinal} item of {list}").format(ordinal=place, list=whole)
    return _("{key} of the {ordinal} item of {list}").format(key=key, ordinal=place, list=whole)


def format_location(loc: Sequence[str | int]) -> str:
    """('brevo', 'list_ids', 0) -> 'brevo.list_ids[0]' (for developers; people read describe_location)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe_location(loc: Sequence[str | int]) -> str:
    """A location in words, with no 0-based index: ('sections', 0, 'id') -> 'id of the 1st section',
    ('brevo', 'list_ids', 1) -> 'the 2nd item of brevo.list_ids'."""
    whole = ""  # the phrase so far, up to the last list item
    keys: list[str] = []  # keys since then
    for part in loc:
        if isinstance(part, int):
            name = ".".join(keys)
            listed = name if not whole else (_item_key(whole, name) if name else whole)
            whole = _item(name, listed, part, None)
            keys = []
        else:
            keys.append(str(part))
    if not whole:
        return ".".join(keys)
    return _item_key(whole, ".".join(keys)) if keys else whole


def _item_key(whole: str, key: str) -> str:
    return _("{key} of {owner}").format(key=key, owner=whole)


QUOTE_MAX = 60  # characters of a bad value quoted in a message
_SECRET_NAME = re.compile(r"key|secret|token|passw|apikey", re.IGNORECASE)


def quoted(value: object) -> str:
    """repr() of a bad value, cut to QUOTE_MAX characters so a message stays one readable line.

    reprlib bounds the work as it goes: a deep or huge value is never printed whole.
    """
    import reprlib

    short = reprlib.Repr()
    short.maxstring = short.maxother = QUOTE_MAX
    short.maxlevel = 3
    shown = short.repr(value)
    return shown if len(shown) <= QUOTE_MAX else shown[: QUOTE_MAX - 1] + "…"


def describe_error(error: Mapping[str, Any], *, name: Callable[[str], str] | None = None) -> str:
    """One validation error (ours or pydantic's) in words: the key, its value, what is expected.

    `name` turns the key's dotted location into how the message names it (e.g.
    "front matter key 'subject'"); the default is the dotted location itself.
    """
    loc = tuple(error.get("loc", ()))
    location = describe_location(loc)
    label = name(location) if name else location
    kind = error.get("type")
    value = error.get("input")
    if kind == "extra_forbidden":
        if loc and _SECRET_NAME.search(str(loc[-1])):
            # Its value is probably a real key: never repeat it on a terminal or in a CI log.
            return _(
                "{key}: unknown key; API keys are read only from the environment "
                "(BREVO_API_KEY, MJ_APIKEY_PUBLIC, MJ_APIKEY_PRIVATE; the publish password from NEWSLETTER_PUBLISH_PASSWORD), "
                "never from a file: delete this line"
            ).format(key=label)
        return _("{key}: unknown key (value {value}); remove it or check its spelling").format(key=label, value=quoted(value))
    if kind in {"missing", "missing_argument"}:
        return _("{key} is missing; this key is required").format(key=label)
    message = _expected(error)
    if not location:
        return message
    if isinstance(value, Mapping):
        return _("{key}: {expected}").format(key=label, expected=message)
    return _("{key} = {value}: {expected}").format(key=label, value=quoted(value), expected=message)


def describe_errors(errors: Sequence[Mapping[str, Any]], *, name: Callable[[str], str] | None = None) -> list[str]:
    """Every error in words, one line each (see describe_error)."""
    return [describe_error(error, name=name) for error in errors]
