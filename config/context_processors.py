"""What every page knows: the province served, demo mode, and the officials' menu."""

from django.conf import settings

from core import navigation
from units.selectors import deployed_province


def deployment(request):
    """The province this site serves (for the header and titles) and the officials' menu."""
    province = deployed_province()
    return {
        "deployed_province": province,
        "province_name": province.name if province else f"Tỉnh {settings.PROVINCE_CODE}",
        "demo_mode": settings.DEMO_MODE,
        "nav_items": navigation.items_for(getattr(request, "user", None)),
    }
