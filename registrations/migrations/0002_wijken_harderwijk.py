"""The 15 CBS wijken of gemeente Harderwijk (GM0243), WK024301 to WK024315.

Postcode ranges are not loaded here: no public postcode→wijk table exists offline, so a
coordinator enters them (demo data brings an example set).
"""

from django.db import migrations

WIJKEN = [
    "Binnenstad", "Waterfront", "Zeebuurt", "Friesegracht", "Stadsdennen", "De Sypel",
    "Stationsomgeving", "Stadsweiden", "Slingerbos", "Tweelingstad", "Frankrijk",
    "Drielanden", "Industrieterrein Lorentz", "Buitengebied", "Hierden",
]


def add_wijken(apps, schema_editor):
    District = apps.get_model("registrations", "District")
    for number, name in enumerate(WIJKEN, start=1):
        District.objects.get_or_create(cbs_code=f"WK0243{number:02d}", defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]
    operations = [migrations.RunPython(add_wijken, migrations.RunPython.noop)]
