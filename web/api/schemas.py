"""Request and response models of the JSON API. Spectree validates requests (and responses)
with them and generates the OpenAPI 3.1 document from them: one source of truth.

Input models forbid unknown fields, so a misspelt field is named instead of ignored. Big
result structures (a result, a plan) are documented by their main keys and allow the rest:
their full shape is the one `flask diagnose` and `flask plan` print (README, docs/api.md).
"""
from datetime import datetime
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from diagnosis.budget import PROBLEMS, BudgetError, parse_budget

from services.access import MAX_ID


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Text(BaseModel):
    """A text in both languages."""
    zh: str = ""
    en: str = ""


class Problem(Open):
    """application/problem+json (RFC 9457)."""
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: Optional[dict[str, list[str]]] = None


class PageQuery(Strict):
    page: int = Field(1, ge=1, le=10**6)
    per_page: int = Field(20, ge=1, le=100)


class Paged(BaseModel):
    page: int
    per_page: int
    total: int


# --- instruments --------------------------------------------------------------------------

class InstrumentSummary(BaseModel):
    id: str
    version: str
    title: Text
    description: Text
    indicative: bool
    questions: int
    versions: list[str]


class InstrumentList(Paged):
    items: list[InstrumentSummary]


class Choice(BaseModel):
    id: str
    text: Text
    exclusive: bool = False


class Question(BaseModel):
    id: str
    kind: str
    text: Text
    help: Text
    required: bool
    allow_na: bool
    dimension: Optional[str] = None
    indicator: Optional[str] = None
    group: Optional[str] = None
    options: list[Choice] = []
    min: Optional[float] = None
    max: Optional[float] = None
    numerator: Optional[Text] = None
    denominator: Optional[Text] = None


class Level(BaseModel):
    id: str
    rank: int
    name: Text
    meaning: Text


class InstrumentDetail(InstrumentSummary):
    levels: list[Level]
    items: list[Question]


class VersionQuery(Strict):
    version: Optional[str] = Field(None, max_length=32)


# --- scoring and planning -----------------------------------------------------------------

class Profile(BaseModel):
    """The enterprise profile, as `flask diagnose --profile` reads it; further keys that an
    instrument's `show_if` conditions name may be given as plain values."""
    model_config = ConfigDict(extra="allow", allow_inf_nan=False)
    __pydantic_extra__: dict[str, Optional[str | int | float | bool]] = Field(init=False)

    industry_group: Optional[str] = Field(None, max_length=32)
    industry: Optional[str] = Field(None, max_length=16, description="GB/T 4754-2017 code")
    district: Optional[str] = Field(None, max_length=64)
    employees: Optional[int] = Field(None, ge=0, le=10**7)
    revenue: Optional[int] = Field(None, ge=0, le=10**13)
    total_assets: Optional[int] = Field(None, ge=0, le=10**14)
    size_class: Optional[Literal["large", "medium", "small", "micro"]] = None
    has_cio: Optional[bool] = None


class ScoreRequest(Strict):
    instrument: str = Field(max_length=64)
    version: Optional[str] = Field(None, max_length=32)
    answers: dict[str, Any] = Field(description="question id -> answer, as in the README")
    profile: Optional[Profile] = None


class Result(Open):
    """Result JSON, the same as `flask diagnose` prints."""
    instrument: str
    version: str
    total: float
    max_total: float
    level: dict[str, Any]
    dimensions: dict[str, Any]
    scenarios: dict[str, Any]
    level_checks: list[Any]
    next_level: dict[str, Any]


class PlanRequest(ScoreRequest):
    budget: Union[int, str] = Field(description="yuan, net of subsidy: a whole number, or as people write "
                                                "it (200,000, ¥200,000, 20万, 20 万元, 200k); 0 to 10,000,000,000")
    target_level: Optional[str] = Field(None, max_length=32)
    horizon: int = Field(12, ge=1, le=60, description="months")

    @field_validator("budget", mode="before")
    @classmethod
    def _yuan(cls, value):
        try:
            return parse_budget(value)
        except BudgetError as err:
            raise ValueError(PROBLEMS[err.code]) from None


class Plan(Open):
    """Plan JSON, the same as `flask plan` prints."""
    current: dict[str, Any]
    target_level: dict[str, Any]
    budget: float
    reachable: bool
    phases: list[Any]


# --- assessments --------------------------------------------------------------------------

class AssessmentSummary(BaseModel):
    id: int
    enterprise_id: int
    instrument_id: str
    instrument_version: str
    status: Literal["draft", "submitted"]
    total: Optional[float] = None
    max_total: Optional[float] = None
    level_id: Optional[str] = None
    created_at: Optional[datetime] = None
    submitted_at: Optional[datetime] = None


class AssessmentList(Paged):
    items: list[AssessmentSummary]


class AssessmentsQuery(PageQuery):
    enterprise_id: Optional[int] = Field(None, ge=1, le=MAX_ID)
    status: Optional[Literal["draft", "submitted"]] = None


class NewAssessment(Strict):
    instrument: str = Field(max_length=64)


class Assessment(AssessmentSummary):
    answers: dict[str, Any]
    answered: int
    required: int


class AnswersPut(Strict):
    answers: dict[str, Any] = Field(
        description="question id -> answer (null removes an answer); only these change")


class SaveReply(BaseModel):
    saved: bool
    message: str
    answered: int
    required: int
    visible: list[str]
    dropped: list[str]


class SubmitRequest(Strict):
    pledge: bool = Field(False, description="The truthfulness pledge: must be true, except "
                                            "for an indicative instrument (the quick check)")


class SubmitReply(BaseModel):
    id: int
    status: Literal["submitted"]
    dropped: list[str]
    result: Result


# --- reports ------------------------------------------------------------------------------

class ReportRequest(Strict):
    lang: Literal["zh", "en"] = "zh"


class ReportState(BaseModel):
    assessment_id: int
    lang: Literal["zh", "en"]
    status: Literal["ready", "queued", "started", "failed"]
    report_id: Optional[str] = None
    download: Optional[str] = None


class ReportQuery(Strict):
    lang: Literal["zh", "en"] = "zh"


# --- catalogue ----------------------------------------------------------------------------

class ModuleList(Paged):
    items: list[dict[str, Any]]


class ProviderList(Paged):
    items: list[dict[str, Any]]


# --- report verification (centres) and aggregates (bureaus) --------------------------------

class VerificationRequest(Strict):
    report_number: str = Field(max_length=100)
    code: str = Field(max_length=100)


class Verification(BaseModel):
    """Whether the report number and code belong together, and then the level it states."""
    genuine: bool
    report_number: Optional[str] = None
    level: Optional[dict[str, Any]] = None


class AggregatesQuery(Strict):
    instrument: str = Field("cn-sme-2024", max_length=64)
    by: str = Field("district", max_length=100,
                    description="comma-separated: district, size_class, industry, division")
    as_of: Optional[str] = Field(None, max_length=10, description="YYYY-MM-DD")
    since: Optional[str] = Field(
        None, max_length=10, description="YYYY-MM-DD: count each enterprise's latest "
        "assessment submitted from this day to `as_of` (both whole days)")
    industry: Optional[str] = Field(None, max_length=16)
    priority: Optional[str] = Field(
        None, max_length=40, description="the city's priority industries: `all`, or one "
        "group's id (data/priority-industries.yaml, e.g. `automotive`)")
    district: Optional[str] = Field(None, max_length=64)
    size_class: Optional[str] = Field(None, max_length=16)
    mode: Optional[str] = Field(None, max_length=16, description="self, on_site or all")


class AggregateTable(Open):
    """The disclosure-controlled table, the JSON of `flask aggregates`: a suppressed figure
    is null."""
    k: int
    instrument: str
    version: str
    filters: dict[str, Any]
    by: list[str]
    levels: list[str]
    cells: list[dict[str, Any]]
    margins: dict[str, Any]
    total: dict[str, Any]


class AggregateFigures(Open):
    """The bureau dashboard's further figures (services/bureau_figures.py) for one query: a
    suppressed figure is null; a count of 0 and an empty list are real (nothing to count).
    Texts are {zh, en}; `demand` lists help requests' modules, `plan_demand` the modules of
    the default plans kept on submission, both by category."""
    k: int
    instrument: str
    version: str
    filters: dict[str, Any]
    median: dict[str, Any] = Field(description="{n, median}: the median total, whole points")
    dimensions: list[dict[str, Any]] = Field(
        description="{id, title, n, mean, max, percent}, weakest first")
    indicators: list[dict[str, Any]] = Field(
        description="{id, dimension, title, n, mean, max, percent}, weakest first")
    heatmap: dict[str, Any] = Field(
        description="{levels, level_names, rows: [{id, title, group, mandatory, n, "
                    "cells: [{level, n, share}]}], empty}")
    uplift: dict[str, Any] = Field(
        description="{pairs, up, share_up, mean_points, mean_levels, empty}: T0→T1")
    demand: list[dict[str, Any]] = Field(
        description="[{category, modules: [{id, name, enterprises}]}], help requests")
    plan_demand: list[dict[str, Any]] = Field(
        description="the same for the modules of the default plans kept on submission")
    providers: list[dict[str, Any]] = Field(
        description="public provider outcome records, most accepted projects first")
