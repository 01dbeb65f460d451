# BulkJob, moved here from the back office. Its table, backoffice_bulkjob, was made by
# backoffice/migrations/0001_initial.py (a dependency, so that a fresh database gets it
# once): this migration only records the model in Django's state, and hands the model's
# content type (with its permissions) over to jobs.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def content_type_to_jobs(apps, schema_editor):
    _content_type_move(apps, schema_editor, "backoffice", "jobs")


def content_type_to_backoffice(apps, schema_editor):
    _content_type_move(apps, schema_editor, "jobs", "backoffice")


def _content_type_move(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=new, model="bulkjob").exists():
        content_types.filter(app_label=old, model="bulkjob").update(app_label=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('backoffice', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BulkJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('kind', models.CharField(max_length=32, verbose_name='loại việc')),
                        ('state', models.CharField(choices=[('preview', 'Chờ xác nhận'), ('queued', 'Đang chờ xử lý'), ('running', 'Đang xử lý'), ('done', 'Đã xong'), ('failed', 'Gặp lỗi, đã dừng'), ('cancelled', 'Đã hủy')], default='preview', max_length=12, verbose_name='trạng thái')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='xác nhận lúc')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='bắt đầu lúc')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='xong lúc')),
                        ('params', models.JSONField(blank=True, default=dict)),
                        ('items', models.JSONField(blank=True, default=list)),
                        ('preview_errors', models.JSONField(blank=True, default=list)),
                        ('preview_warnings', models.JSONField(blank=True, default=list)),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='tổng số')),
                        ('cursor', models.PositiveIntegerField(default=0)),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='thành công')),
                        ('failed', models.PositiveIntegerField(default=0, verbose_name='không thực hiện được')),
                        ('errors', models.JSONField(blank=True, default=list)),
                        ('results', models.JSONField(blank=True, default=list)),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='units.unit', verbose_name='xã')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
                    ],
                    options={
                        'verbose_name': 'công việc hàng loạt',
                        'verbose_name_plural': 'công việc hàng loạt',
                        'db_table': 'backoffice_bulkjob',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['commune', 'created_at'], name='backoffice__commune_508443_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_jobs, content_type_to_backoffice),
    ]
