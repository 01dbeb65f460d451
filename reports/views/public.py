"""The public statistics page: province-wide figures anyone may read, no login."""

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import public
from core.replica import reads_from_replica
from reports.charts import Series, day_chart
from reports.disclosure import min_count
from reports.freshness import summaries_catch_up
from reports.public_stats import public_stats
from units.selectors import deployed_province

CACHE_SECONDS = 300


@public
@reads_from_replica
def public_statistics(request):
    province = deployed_province()
    if province is None:
        raise Http404
    key = f"reports:public:{province.pk}:{timezone.localdate()}:{min_count()}"
    stats = cache.get(key)
    if stats is None:
        summaries_catch_up()
        stats = public_stats(province)
        cache.set(key, stats, CACHE_SECONDS)
    days = list(reversed(stats.days))
    chart = day_chart(
        ident="chart-public",
        title=_("Ca mắc mới và khỏi bệnh mỗi ngày, toàn tỉnh"),
        days=[d[0] for d in days],
        bars=Series("new", _("Ca mắc mới"), [d[1].plotted for d in days]),
        lines=[Series("recovered", _("Khỏi bệnh"), [d[2].plotted for d in days])],
        description=_(
            "Cột: ca mắc mới mỗi ngày; đường: số người khỏi bệnh mỗi ngày. Ngày có số nhỏ "
            "hơn %(k)s không được vẽ. Số liệu đầy đủ ở bảng bên dưới."
        )
        % {"k": stats.k},
    )
    # The rows are the province's children: districts in a three-level unit set, communes
    # in the two-level one (units.UnitSet.has_districts); the heading names them.
    by_district = province.unit_set.has_districts
    return render(
        request,
        "reports/public_stats.html",
        {"stats": stats, "chart": chart, "by_district": by_district},
    )
