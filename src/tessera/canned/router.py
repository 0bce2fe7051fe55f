"""HTTP surface of canned responses: ``/{project_id}/canned``."""

from fastapi import APIRouter

router = APIRouter(prefix="/{project_id}/canned", tags=["canned"])
