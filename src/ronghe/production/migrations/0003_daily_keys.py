"""Daily production and unit-day totals lose the indexes no read uses (the foreign keys' own,
which the unique (well, date) and (unit, date) indexes cover) and daily production its per-row
foreign-key check (see DailyProduction.well): the cost of importing a million rows. Nothing else
changes."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('production', '0002_production_import'),
    ]

    operations = [
        migrations.AlterField(
            model_name='dailyproduction',
            name='well',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='daily', to='production.well', verbose_name='well'),
        ),
        migrations.AlterField(
            model_name='unitday',
            name='unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='org.unit', verbose_name='unit'),
        ),
    ]
