import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('production', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProductionImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file_name', models.CharField(max_length=255, verbose_name='file')),
                ('stored_as', models.CharField(blank=True, max_length=255)),
                ('sha256', models.CharField(blank=True, max_length=64)),
                ('dry_run', models.BooleanField(default=False, verbose_name='validate only')),
                ('language', models.CharField(blank=True, max_length=16)),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('validating', 'Validating'), ('writing', 'Writing'), ('totals', 'Updating unit totals'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=12, verbose_name='status')),
                ('rows_total', models.PositiveIntegerField(blank=True, null=True, verbose_name='rows in the file')),
                ('rows_done', models.PositiveIntegerField(default=0, verbose_name='rows processed')),
                ('created', models.PositiveIntegerField(default=0, verbose_name='created')),
                ('replaced', models.PositiveIntegerField(default=0, verbose_name='replaced')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='errors')),
                ('errors', models.JSONField(blank=True, default=list, verbose_name='errors')),
                ('message', models.TextField(blank=True)),
                ('started_at', models.DateTimeField(auto_now_add=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'daily production import',
                'verbose_name_plural': 'daily production imports',
                'ordering': ['-started_at', '-id'],
            },
        ),
    ]
