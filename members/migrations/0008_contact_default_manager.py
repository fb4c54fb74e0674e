"""Contact.objects is the full manager again and all_objects is gone (members.retirement, on main);
the migration state catches up with the model (no change to the database)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0007_contact_responsibilities'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='contact',
            options={'ordering': ['kommun__name', 'role', '-is_primary', 'name'], 'verbose_name': 'contact', 'verbose_name_plural': 'contacts'},
        ),
        migrations.AlterModelManagers(
            name='contact',
            managers=[
            ],
        ),
    ]
