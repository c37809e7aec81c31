"""URL slugs for blog post titles."""
import re

_WORD = re.compile(r"[a-z0-9]+")


def slugify(title, max_length=50):
    """Turn a post title into a URL slug.

    The slug is lowercase ASCII: runs of letters/digits joined by single
    hyphens, e.g. "Hello, World!" -> "hello-world". Leading Markdown heading
    markers ("## Title") are ignored. Slugs longer than `max_length` are cut
    at the last complete word that fits.
    """
    text = title.strip().lower()
    if text[0] == "#":
        text = text.lstrip("#")
    slug = "-".join(_WORD.findall(text))
    if len(slug) > max_length:
        cut = slug[:max_length + 1]
        if cut[-1] == "-":
            slug = cut[:-1]
        elif "-" in cut:
            slug = cut.rsplit("-", 1)[0]
        else:
            slug = slug[:max_length]
    return slug
