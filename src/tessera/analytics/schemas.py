"""Analytics queries (parsed parameters) and the shapes of their answers (for the OpenAPI
document: the answers themselves are MongoDB aggregation results, built as plain lists)."""

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from pydantic import BaseModel, Field


@dataclass(frozen=True, slots=True)
class RequestQuery:
    """Parameters of a conversation aggregate; a route reads only those Tiledesk reads."""

    days: float | None
    zone: tzinfo
    department_id: str | None = None
    participant: str | None = None
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class MessageQuery:
    days: float | None
    zone: tzinfo
    sender: str | None = None
    recipient: str | None = None
    channel: str | None = None
    answer_id: str | None = None


@dataclass(frozen=True, slots=True)
class EventQuery:
    days: float | None
    zone: tzinfo
    name: str | None = None


@dataclass(frozen=True, slots=True)
class TagQuery:
    type: str
    first: date | None
    last: date | None
    zone: tzinfo


class TotalCount(BaseModel):
    """``$count``: one element, or an empty list when nothing matched."""

    total_count: int = Field(serialization_alias="totalCount")


class Group(BaseModel):
    """A ``$group`` result: ``_id`` holds the group keys (``year``, ``month``, ``day``,
    ``week``, ``hour``, ``weekday``, ``status``, ``hasBot``, ``sourcePage``, ``sender``,
    ``_answerid``, ``name``, or the project id), then ``count`` or an average
    (``waiting_time_avg``, ``duration_avg``, ``satisfaction_avg``; milliseconds or rating)."""

    id: dict[str, Any] | str = Field(serialization_alias="_id")
    count: int | None = None
    waiting_time_avg: float | None = None
    duration_avg: float | None = None
    satisfaction_avg: float | None = None


class TagSeries(BaseModel):
    name: str
    values: list[int]


class TagChart(BaseModel):
    """Tag usage per day: ``dates`` as ``DD/MM/YYYY``, one series of counts per tag."""

    dates: list[str]
    series: list[TagSeries]
