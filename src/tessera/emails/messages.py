"""The account e-mails: what each says and where its link points (the dashboard's routes)."""

from dataclasses import dataclass

from tessera.core.mail import Email
from tessera.emails.render import message_html, render


@dataclass(frozen=True, slots=True)
class Links:
    """Where the agents' dashboard lives and what the product is called."""

    base_url: str
    brand: str

    def url(self, fragment: str) -> str:
        return f"{self.base_url.rstrip('/')}/#/{fragment}"


def verify_email(links: Links, *, to: str, firstname: str, user_id: str, code: str) -> Email:
    return render(
        "verify",
        to=to,
        subject=f"[{links.brand}] Verify your email address",
        brand=links.brand,
        firstname=firstname or to,
        email=to,
        link=links.url(f"verify/email/{user_id}/{code}"),
    )


def reset_password(links: Links, *, to: str, firstname: str, reset_id: str) -> Email:
    return render(
        "resetPassword",
        to=to,
        subject=f"[{links.brand}] Password reset request",
        brand=links.brand,
        firstname=firstname or to,
        link=links.url(f"resetpassword/{reset_id}"),
    )


def password_changed(links: Links, *, to: str, firstname: str) -> Email:
    return render(
        "passwordChanged",
        to=to,
        subject=f"[{links.brand}] Your password has been changed",
        brand=links.brand,
        firstname=firstname or to,
        email=to,
    )


def invited_new_user(
    links: Links, *, to: str, inviter: str, project_name: str, role: str, invitation_id: str
) -> Email:
    return render(
        "beenInvitedNewUser",
        to=to,
        subject=f"[{links.brand}] You have been invited to the '{project_name}' project",
        brand=links.brand,
        email=to,
        inviter=inviter,
        project_name=project_name,
        role=role,
        link=links.url(f"handle-invitation/{invitation_id}/{project_name}"),
    )


def invited_existing_user(
    links: Links,
    *,
    to: str,
    firstname: str,
    inviter: str,
    project_name: str,
    project_id: str,
    role: str,
) -> Email:
    return render(
        "beenInvitedExistingUser",
        to=to,
        subject=f"[{links.brand}] You have been invited to the '{project_name}' project",
        brand=links.brand,
        firstname=firstname or to,
        inviter=inviter,
        project_name=project_name,
        role=role,
        link=links.url(f"project/{project_id}/home"),
    )


def continue_on_desktop(links: Links, *, to: str, firstname: str, link: str) -> Email:
    return render(
        "redirectToDesktop",
        to=to,
        subject=f"[{links.brand}] Continue on your desktop",
        brand=links.brand,
        firstname=firstname or to,
        link=link,
    )


def message_to_contact(
    links: Links, *, to: str, text: str, subject: str | None, project_name: str
) -> Email:
    """An agent's message to a conversation's contact (``POST /:pid/requests/:rid/email/send``).
    Tiledesk sends it without a subject when none is given; here it names the project."""
    return render(
        "emailDirect",
        to=to,
        subject=subject or f"Message from {project_name}",
        brand=links.brand,
        project={"name": project_name},
        msgText=message_html(text),
    )
