"""The text layout of DESIGN section 4: the way the seed documents are laid out."""

from __future__ import annotations

from newscrawler.dates import parse_date


def age_text(published_at: str | None, fetched_at: str | None) -> str | None:
    """"36 minutes ago" style age of a post at fetch time, or its date when older than a day."""
    if not published_at:
        return None
    when = parse_date(published_at, relative=False)
    now = parse_date(fetched_at, relative=False) if fetched_at else None
    if when is None:
        return None
    if now is None:
        return when.strftime("%d %b %Y %H:%M")
    minutes = int((now - when).total_seconds() // 60)
    if minutes < 0:
        return when.strftime("%d %b %Y %H:%M")
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if minutes < 24 * 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return when.strftime("%d %b %Y")


def render_text(article: dict) -> str:
    """Title; lede; body paragraphs; then each recent-posts block (heading, posts)."""
    blocks: list[str] = [article.get("title") or ""]
    if article.get("lede"):
        blocks.append(article["lede"])
    blocks.extend(article.get("body") or [])
    for block in article.get("recent_posts") or []:
        blocks.append(block.get("heading") or "")
        for post in block.get("posts") or []:
            blocks.append(post["title"])
            if post.get("excerpt"):
                blocks.append(post["excerpt"])
            age = age_text(post.get("published_at"), article.get("fetched_at"))
            if age:
                blocks.append(age)
    return "\n\n".join(b for b in blocks if b) + "\n"
