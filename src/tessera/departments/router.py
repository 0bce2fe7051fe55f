"""HTTP surface of departments: ``/{project_id}/departments``."""

from fastapi import APIRouter

router = APIRouter(prefix="/{project_id}/departments", tags=["departments"])
