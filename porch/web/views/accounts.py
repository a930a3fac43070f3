"""Sign up (with or without an invite), log in, log out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from porch import limits
from porch.accounts.models import SignupMode
from porch.accounts.services import check_invite, do_signup, signup_mode
from porch.errors import InvalidInput, PorchError
from porch.limits import RateLimited

from ..forms import InviteCodeForm, LoginForm, SignupForm
from ..responses import add_service_error, error_page, porch_errors

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
@porch_errors
def signup(request, code: str | None = None):
    """``/signup/`` (``?invite=CODE``) and ``/invite/<code>/``."""
    if request.user.is_authenticated:
        return redirect("web:home")
    mode = signup_mode()
    code = (code or request.POST.get("invite") or request.GET.get("invite") or "").strip()
    invite, invite_problem = None, ""
    if code:
        shape = InviteCodeForm({"code": code})
        try:
            if not shape.is_valid():
                raise InvalidInput("That is not an invite code.", field="invite")
            invite = check_invite(code)
        except PorchError as error:
            invite_problem = error.message
    status = 200
    if mode == SignupMode.CLOSED:
        form = None
        status = 403 if request.method == "POST" else 200
    elif request.method == "POST":
        limits.check("signup", request)
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = do_signup(
                    username=data["username"],
                    password=data["password1"],
                    display_name=data["display_name"],
                    invite_code=data["invite"].strip() or None,
                )
            except PorchError as error:
                add_service_error(form, error, aliases={"password": "password1"})
            else:
                login(request, member, backend=MODEL_BACKEND)
                messages.success(
                    request,
                    f"Welcome, {member.name}! This is your home feed: it shows only people "
                    "you choose.",
                )
                return redirect("web:home")
        status = 400
    else:
        form = SignupForm(initial={"invite": code})
    return render(
        request,
        "web/signup.html",
        {
            "form": form,
            "mode": mode,
            "invite": invite,
            "invite_code": code if invite else "",
            "invite_problem": invite_problem,
            "needs_invite": mode == SignupMode.INVITE and invite is None,
        },
        status=status,
    )


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        try:
            limits.check_login(request, request.POST.get("username", ""))
        except RateLimited as error:
            return error_page(request, error)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        limits.login_failed(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signup_open"] = signup_mode() == SignupMode.OPEN
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET): a link cannot log anyone out."""
