"""HTTP surface of conversation lifecycle (fact sheet §5.4)."""

from fastapi import APIRouter

router = APIRouter(prefix="/{project_id}/requests", tags=["requests"])
