"""Reads for pages and reports about caregivers."""

from django.db.models import Count

from .models import Caregiver


def caregiver_counts() -> dict:
    """Totals for the back-office dashboard: all caregivers and per wijk (None = onbekend)."""
    per_district = (
        Caregiver.objects.values("district__name")
        .annotate(n=Count("id"))
        .order_by("-n", "district__name")
    )
    return {
        "total": Caregiver.objects.count(),
        "per_district": [(row["district__name"], row["n"]) for row in per_district],
    }
