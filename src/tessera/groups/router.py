"""HTTP surface of agent groups: ``/{project_id}/groups``."""

from fastapi import APIRouter

router = APIRouter(prefix="/{project_id}/groups", tags=["groups"])
