from django.contrib import admin

from .models import District, PostcodeRange


class PostcodeRangeInline(admin.TabularInline):
    model = PostcodeRange
    extra = 1


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code"]
    search_fields = ["name", "cbs_code"]
    inlines = [PostcodeRangeInline]


@admin.register(PostcodeRange)
class PostcodeRangeAdmin(admin.ModelAdmin):
    list_display = ["first", "last", "district"]
    list_filter = ["district"]
    search_fields = ["first", "last"]
