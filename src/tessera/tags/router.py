"""HTTP surface of the tag library: ``/{project_id}/tags``."""

from fastapi import APIRouter

router = APIRouter(prefix="/{project_id}/tags", tags=["tags"])
