"""Admin for core's operational records: failed tasks and the outbox."""

from django.contrib import admin, messages

from apps.core.failures import retry_failed_task
from apps.core.models import FailedTask, OutboxMessage


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ("task_name", "exception", "message_short", "retries", "failed_at", "resolved_at")
    list_filter = ("task_name", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("task_name", "task_id", "request_id", "message")
    readonly_fields = [f.name for f in FailedTask._meta.fields]
    actions = ["run_again"]

    @admin.display(description="message")
    def message_short(self, obj: FailedTask) -> str:
        return obj.message[:120]

    @admin.action(description="Run again (through the outbox) and mark resolved")
    def run_again(self, request, queryset):
        count = 0
        for failed in queryset.filter(resolved_at__isnull=True):
            retry_failed_task(failed)
            count += 1
        self.message_user(request, f"{count} task(s) scheduled again.", messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("task_name", "created_at", "dispatched_at", "attempts", "last_error")
    list_filter = ("task_name", ("dispatched_at", admin.EmptyFieldListFilter))
    search_fields = ("task_name", "request_id")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
