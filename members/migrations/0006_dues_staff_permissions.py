from django.db import migrations

from members.migration_utils import (
    STEWARDSHIP_TEAM,
    TIES_STAFF,
    grant_group_permissions,
    revoke_group_permissions,
)

# TIES staff run the money side (years, invoices, payments, refunds, flags); the
# Stewardship team reviews scholarships and can read the money side. Money itself only
# changes through the services the admin forms call (audited), never by editing rows.
GROUP_PERMISSIONS = {
    TIES_STAFF: [
        "members.view_membershipyear",
        "members.add_membershipyear",
        "members.change_membershipyear",
        "members.view_invoice",
        "members.change_invoice",
        "members.view_invoiceline",
        "members.view_payment",
        "members.add_payment",
        "members.change_payment",
        "members.view_scholarshipapplication",
        "members.view_checkoutsession",
        "members.view_stripeevent",
    ],
    STEWARDSHIP_TEAM: [
        "members.view_membershipyear",
        "members.view_invoice",
        "members.view_invoiceline",
        "members.view_payment",
        "members.view_scholarshipapplication",
        "members.change_scholarshipapplication",
    ],
}


def forwards(apps, schema_editor):
    grant_group_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_group_permissions(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_payments_checkout")]

    operations = [migrations.RunPython(forwards, backwards)]
