from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from prep.accounts.models import Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


@admin.register(User)
class PrepUserAdmin(UserAdmin):
    inlines = [ProfileInline]
