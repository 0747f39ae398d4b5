"""A migration that changes nothing: what ``migrate`` itself costs on a large platform database
(a shared schema migrates once, not once per tenant)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "__first__"), ("accounts", "__first__")]
    operations = [migrations.RunSQL("SELECT 1", reverse_sql="SELECT 1")]
