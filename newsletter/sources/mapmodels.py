"""The actor map's payloads as typed models: GoGoCarto's elements and taxonomy, GeoJSON features.

Third-party JSON, so extra fields are ignored (STYLE §6). Each document is validated straight
from the bytes (`TypeAdapter.validate_json`; on 50,000 elements, into TypedDicts, it beats a
plain `json.loads`: bench/actormap.py). One element that does not fit its model is skipped and
counted, never the whole map: `_or_none` turns its validation error into None.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    TypeAdapter,
    ValidationError,
    WrapValidator,
)
from pydantic_core.core_schema import ValidatorFunctionWrapHandler
from typing_extensions import TypedDict  # pydantic needs it before Python 3.12


class _Payload(BaseModel):
    # Numbers where text is expected (a postal code, an id) are read as text, as GoGoCarto mixes both.
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


def _or_none(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


# The element list is validated into TypedDicts rather than models: on 50,000 elements that is
# three times faster than BaseModel instances, and faster than `json.loads` (bench/actormap.py).
_LENIENT = ConfigDict(coerce_numbers_to_str=True)


class Address(TypedDict, total=False):
    __pydantic_config__ = _LENIENT  # type: ignore[misc]
    addressLocality: str | None
    postalCode: str | None


class CategoryRef(TypedDict, total=False):
    """One entry of an element's `categoriesFull`."""

    __pydantic_config__ = _LENIENT  # type: ignore[misc]
    id: str | None
    name: str | None


class Element(TypedDict, total=False):
    """One element of /api/elements.json. `description` is read from the configured field
    (`[actor_map] description_field`), see `elements_page_adapter`."""

    __pydantic_config__ = _LENIENT  # type: ignore[misc]
    id: str | None
    name: str | None
    status: int | None
    createdAt: str | None
    updatedAt: str | None
    address: Address | None
    categoriesFull: list[CategoryRef] | None
    categories: list[str | None] | None
    images: list[str] | None
    sourceKey: str | None
    description: JsonValue  # a custom field may hold any JSON value


class ElementsPage(TypedDict, total=False):
    """/api/elements.json: a licence and the elements (`data`), or an `error`."""

    __pydantic_config__ = _LENIENT  # type: ignore[misc]
    licence: str | None
    data: list[Annotated[Element | None, WrapValidator(_or_none)]] | None
    error: JsonValue


@functools.cache
def elements_page_adapter(description_field: str, *, lenient: bool = True) -> TypeAdapter[ElementsPage]:
    """The validator of /api/elements.json reading `description` from `description_field`.

    `lenient`: an element that does not fit becomes None (counted and skipped by the caller).
    Not lenient: any such element fails the whole page; no Python call per element, so it is a
    third faster on 50,000 elements (bench/actormap.py): parse_gogocarto tries it first.
    """
    if description_field == "description" and lenient:
        return TypeAdapter(ElementsPage)
    # The configured field becomes `description` (an alias of a TypedDict key). Built at run
    # time, so typed as Any here; the result validates to the same shape as ElementsPage.
    make: Any = TypedDict
    element: Any = Element
    if description_field != "description":
        element = make(
            "ElementWithDescription",
            {**Element.__annotations__, "description": Annotated[JsonValue, Field(validation_alias=description_field)]},
            total=False,
        )
        element.__pydantic_config__ = _LENIENT
    item: Any = Annotated[element | None, WrapValidator(_or_none)] if lenient else element | None
    page: Any = make("ElementsPageWithDescription", {**ElementsPage.__annotations__, "data": list[item] | None}, total=False)
    page.__pydantic_config__ = _LENIENT
    return cast(TypeAdapter[ElementsPage], TypeAdapter(page))


class TaxonomyOption(_Payload):
    """An option of a taxonomy category (ids are strings there, numbers elsewhere)."""

    id: str | None = None
    name: str | None = None
    nameShort: str | None = None
    parent: str | None = None
    subcategories: list[TaxonomyCategory] = []


class TaxonomyCategory(_Payload):
    options: list[TaxonomyOption] = []


TAXONOMY = TypeAdapter(list[TaxonomyCategory])


class Feature(_Payload):
    """A GeoJSON feature; `properties` are free (their names are configured)."""

    id: str | None = None
    geometry: JsonValue = None
    properties: dict[str, JsonValue] | None = None


class FeatureCollection(_Payload):
    features: list[Annotated[Feature | None, WrapValidator(_or_none)]]


FEATURE_COLLECTION = TypeAdapter(FeatureCollection)
