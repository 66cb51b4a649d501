"""One spider class per site profile, so `scrapy list` and `scrapy crawl <id>` see them all."""

from newscrawler.profiles import Profile, all_profiles
from newscrawler.spiders.base import NewsSpider


def spider_class(profile: Profile) -> type[NewsSpider]:
    class_name = "".join(part.capitalize() for part in profile.id.split("_")) + "Spider"
    return type(class_name, (NewsSpider,), {
        "name": profile.id,
        "profile": profile,
        "allowed_domains": list(profile.all_domains),
        "__module__": __name__,
        "__doc__": f"{profile.name} ({', '.join(profile.domains)})",
    })


SPIDERS = {pid: spider_class(profile) for pid, profile in all_profiles().items()}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
