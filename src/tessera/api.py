"""The route table: every router, grouped by URL family (see ``core.routing``).

``TOP_LEVEL`` families are chosen by the first path segment; everything else is
``/{project_id}/...`` and chosen by the second segment from ``PROJECT_SCOPED``. Routers
there run the project check first (400 before 401, fact sheet §2).
"""

from fastapi import APIRouter

from tessera.activities.router import router as activities
from tessera.analytics.router import public_router as public_analytics
from tessera.analytics.router import router as analytics
from tessera.auth.router import router as auth
from tessera.bots.router import alias_router as bots_alias
from tessera.bots.router import router as bots
from tessera.canned.router import router as canned
from tessera.conversations.assignment_router import router as conversation_assignment
from tessera.conversations.lifecycle_router import router as conversation_lifecycle
from tessera.conversations.router import router as conversations
from tessera.custom_events.router import router as custom_events
from tessera.departments.router import router as departments
from tessera.emails.router import router as emails
from tessera.files.public_router import files_router as public_files
from tessera.files.public_router import images_router as public_images
from tessera.files.router import router as files
from tessera.groups.router import router as groups
from tessera.health.router import router as health
from tessera.intents.router import alias_router as intents_alias
from tessera.intents.router import public_router as faqpub
from tessera.intents.router import router as intents
from tessera.invitations.router import router as invitations
from tessera.keys.router import jwt_router, keys_router
from tessera.labels.router import router as labels
from tessera.leads.router import router as leads
from tessera.messages.router import root_router as root_messages
from tessera.messages.router import router as messages
from tessera.project_users.router import router as project_users
from tessera.projects.router import router as projects
from tessera.properties.router import router as properties
from tessera.realtime.router import router as realtime
from tessera.roles.router import router as roles
from tessera.segments.router import router as segments
from tessera.subscriptions.router import router as subscriptions
from tessera.tags.router import router as tags
from tessera.transcripts.router import router as transcripts
from tessera.triggers.router import router as triggers
from tessera.users.router import public_router as users_util
from tessera.users.router import router as users
from tessera.utilities import router as utilities
from tessera.widgets.loader_router import w_router as widget_loader_alias
from tessera.widgets.loader_router import widgets_router as widget_loader
from tessera.widgets.router import router as widgets

ROOT: list[APIRouter] = [health, realtime]  # /, /health, /ready; websocket /

TOP_LEVEL: dict[str, list[APIRouter]] = {
    "auth": [auth],  # /auth
    "users": [users],  # /users
    "users_util": [users_util],  # /users_util
    "projects": [projects],  # /projects
    "public": [transcripts],  # /public/requests (transcripts)
    "requests_util": [utilities.requests_util_router],  # /requests_util
    "testauth": [utilities.testauth_router],  # /testauth
    "troubleshooting": [utilities.troubleshooting_router],  # /troubleshooting/headers
    "urls": [utilities.urls_router],  # /urls/redirect
    "files": [public_files],  # /files (public downloads, legacy uploads)
    "images": [public_images],  # /images (public downloads, legacy uploads)
    "widgets": [widget_loader],  # /widgets (widget loader)
    "w": [widget_loader_alias],  # /w (the same routes)
}

PROJECT_SCOPED: dict[str, list[APIRouter]] = {
    "project_users": [project_users],  # /{pid}/project_users
    "pendinginvitations": [invitations],  # /{pid}/pendinginvitations
    "keys": [keys_router],  # /{pid}/keys
    "jwt": [jwt_router],  # /{pid}/jwt
    "departments": [departments],  # /{pid}/departments
    "groups": [groups],  # /{pid}/groups
    "tags": [tags],  # /{pid}/tags
    "canned": [canned],  # /{pid}/canned
    "leads": [leads],  # /{pid}/leads
    "properties": [properties],  # /{pid}/properties
    "segments": [segments],  # /{pid}/segments
    "url-preview": [utilities.url_preview_router],  # /{pid}/url-preview
    "authtestWithRoleCheck": [utilities.authtest_router],  # /{pid}/authtestWithRoleCheck
    "project_users_test": [utilities.project_users_test_router],  # /{pid}/project_users_test
    "quotes": [utilities.quotes_router],  # /{pid}/quotes
    "labels": [labels],  # /{pid}/labels (widget texts)
    "messages": [root_messages],  # /{pid}/messages
    "subscriptions": [subscriptions],  # /{pid}/subscriptions
    "events": [custom_events],  # /{pid}/events
    "activities": [activities],  # /{pid}/activities
    "emails": [emails],  # /{pid}/emails
    "analytics": [analytics],  # /{pid}/analytics
    "publicanalytics": [public_analytics],  # /{pid}/publicanalytics
    "files": [files],  # /{pid}/files
    "widgets": [widgets],  # /{pid}/widgets
    "faq_kb": [bots],  # /{pid}/faq_kb
    "bots": [bots_alias],  # /{pid}/bots (the same routes)
    "faq": [intents],  # /{pid}/faq
    "intents": [intents_alias],  # /{pid}/intents (the same routes)
    "faqpub": [faqpub],  # /{pid}/faqpub (public)
    "roles": [roles],  # /{pid}/roles
    "modules": [triggers],  # /{pid}/modules/triggers
    # /{pid}/requests, /{pid}/requests/{rid}/messages (static paths before {rid})
    "requests": [messages, conversations, conversation_lifecycle, conversation_assignment],
}
