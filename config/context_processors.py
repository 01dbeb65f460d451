"""What every page knows: the province served, demo mode, the officials' menu and guide."""

from django.conf import settings
from django.urls import reverse

from core import navigation
from core.text import in_running_text
from guides.content import guide_for
from units.selectors import deployed_province


def deployment(request):
    """The province this site serves (for the header and titles; `province_in_text` inside a
    sentence), the operating department (settings.OPERATOR_NAME), the officials' menu and
    the guide of the signed-in official's role."""
    province = deployed_province()
    user = getattr(request, "user", None)
    guide = guide_for(user)
    province_name = province.name if province else f"Tỉnh {settings.PROVINCE_CODE}"
    return {
        "deployed_province": province,
        "province_name": province_name,
        # Inside a sentence: "Ủy ban nhân dân tỉnh Tuyên Quang".
        "province_in_text": in_running_text(province_name),
        "operator_name": settings.OPERATOR_NAME,
        "demo_mode": settings.DEMO_MODE,
        "nav_items": navigation.items_for(user),
        "guide_url": reverse("guides:guide", args=[guide.slug]) if guide else "",
    }
