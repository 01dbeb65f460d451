"""What every page knows: the province served, demo mode, the officials' menu and guide."""

from django.conf import settings
from django.urls import reverse

from core import navigation
from guides.content import guide_for
from units.selectors import deployed_province


def deployment(request):
    """The province this site serves (for the header and titles), the officials' menu and the
    guide of the signed-in official's role."""
    province = deployed_province()
    user = getattr(request, "user", None)
    guide = guide_for(user)
    return {
        "deployed_province": province,
        "province_name": province.name if province else f"Tỉnh {settings.PROVINCE_CODE}",
        "demo_mode": settings.DEMO_MODE,
        "nav_items": navigation.items_for(user),
        "guide_url": reverse("guides:guide", args=[guide.slug]) if guide else "",
    }
