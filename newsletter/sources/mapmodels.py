"""The actor map's payloads as typed models: GoGoCarto's elements and taxonomy, GeoJSON features.

Third-party JSON, so extra fields are ignored (STYLE §6). Each document is validated straight
from the bytes (`TypeAdapter.validate_json`, about twice as fast as `json.loads` plus a walk
over dicts on 50,000 elements: bench/actormap.py). One element that does not fit its model is
skipped and counted, never the whole map: `_or_none` turns its validation error into None.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    TypeAdapter,
    ValidationError,
    WrapValidator,
    create_model,
)
from pydantic_core.core_schema import ValidatorFunctionWrapHandler


class _Payload(BaseModel):
    # Numbers where text is expected (a postal code, an id) are read as text, as GoGoCarto mixes both.
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


def _or_none(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


class Address(_Payload):
    addressLocality: str | None = None
    postalCode: str | None = None


class CategoryRef(_Payload):
    """One entry of an element's `categoriesFull`."""

    id: str | None = None
    name: str | None = None


class Element(_Payload):
    """One element of /api/elements.json. `description` is read from the configured field
    (`[actor_map] description_field`), see `elements_page_adapter`."""

    id: str | None = None
    name: str | None = None
    status: int | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    address: Address | None = None
    categoriesFull: list[CategoryRef] | None = None
    categories: list[str | None] | None = None
    images: list[str] | None = None
    sourceKey: str | None = None
    description: JsonValue = None  # a custom field may hold any JSON value


class ElementsPage(_Payload):
    """/api/elements.json: a licence and the elements (`data`), or an `error`."""

    licence: str | None = None
    data: list[Annotated[Element | None, WrapValidator(_or_none)]] | None = None
    error: JsonValue = None


@functools.cache
def elements_page_adapter(description_field: str) -> TypeAdapter[ElementsPage]:
    """The validator of /api/elements.json reading `description` from `description_field`."""
    if description_field == "description":
        return TypeAdapter(ElementsPage)
    element = create_model(
        "ElementWithDescription",
        __base__=Element,
        description=(JsonValue, Field(default=None, validation_alias=description_field)),
    )
    page = create_model(
        "ElementsPageWithDescription",
        __base__=ElementsPage,
        data=(list[Annotated[element | None, WrapValidator(_or_none)]] | None, None),  # type: ignore[valid-type,arg-type]
    )
    return TypeAdapter(page)


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
