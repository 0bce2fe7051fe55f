"""HTTP surface of labels: ``/{project_id}/labels``.

Reads are public (the widget loads its texts before anyone signs in); writes need an admin.
Language codes in paths are matched upper-case.
"""

from fastapi import APIRouter, Depends
from starlette.responses import Response

from tessera.auth.dependencies import Admin
from tessera.core.responses import JSON_MEDIA_TYPE, json_response
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.labels import service
from tessera.labels.schemas import (
    BuiltinLabelOut,
    CloneIn,
    LabelEntryOut,
    LabelIn,
    LabelsOut,
    normalise_lang,
)
from tessera.projects.dependencies import CurrentProject, current_project

router = APIRouter(prefix="/{project_id}/labels", tags=["labels"])


@router.get("", response_model=LabelsOut | dict[str, str])
async def get_labels(project: CurrentProject, db: DatabaseDep) -> Response:
    """The project's customised languages, ``{}`` when it has none."""
    return json_response(await db.read(service.project_labels, project["id"]) or {})


@router.get(
    "/default",
    response_model=list[BuiltinLabelOut],
    dependencies=[Depends(current_project)],
)
async def list_builtin_labels(settings: SettingsDep) -> Response:
    return json_response(service.builtin_labels(settings.brand_name))


@router.get(
    "/default/{lang}",
    response_model=BuiltinLabelOut | None,
    dependencies=[Depends(current_project)],
)
async def get_builtin_label(lang: str, settings: SettingsDep) -> Response:
    """A language without built-in texts answers 200 with an empty body, as Tiledesk does."""
    found = service.builtin_language(normalise_lang(lang), settings.brand_name)
    if found is None:
        return Response(status_code=200, media_type=JSON_MEDIA_TYPE)
    return json_response(found)


@router.get("/{lang}", response_model=LabelEntryOut | BuiltinLabelOut)
async def get_label(
    project: CurrentProject, lang: str, db: DatabaseDep, settings: SettingsDep
) -> Response:
    entry = await db.read(
        service.resolve_language, project["id"], normalise_lang(lang), settings.brand_name
    )
    return json_response(entry)


@router.post("", response_model=LabelEntryOut)
async def save_label(
    member: Admin, body: LabelIn, db: DatabaseDep, settings: SettingsDep
) -> Response:
    return json_response(await db.write(service.save_language, member, body, settings.brand_name))


@router.post("/default/clone", response_model=LabelsOut)
async def clone_builtin_label(
    member: Admin, body: CloneIn, db: DatabaseDep, settings: SettingsDep
) -> Response:
    return json_response(await db.write(service.clone_builtin, member, body, settings.brand_name))


@router.patch("/{lang}/default", response_model=LabelEntryOut)
async def make_default_label(
    member: Admin, lang: str, db: DatabaseDep, settings: SettingsDep
) -> Response:
    entry = await db.write(
        service.make_default_language, member, normalise_lang(lang), settings.brand_name
    )
    return json_response(entry)


@router.delete("")
async def delete_labels(member: Admin, db: DatabaseDep) -> Response:
    return json_response(await db.write(service.delete_labels, member))


@router.delete("/{lang}", response_model=LabelEntryOut | BuiltinLabelOut)
async def delete_label(
    member: Admin, lang: str, db: DatabaseDep, settings: SettingsDep
) -> Response:
    entry = await db.write(
        service.delete_language, member, normalise_lang(lang), settings.brand_name
    )
    return json_response(entry)
