import pytest

from textkit.slug import slugify


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Crème Brûlée", "creme-brulee"),
        ("Ångström Units 2024", "angstrom-units-2024"),
        ("Über uns", "uber-uns"),
        ("São Paulo — Guia", "sao-paulo-guia"),
        ("ﬁle Naïveté", "file-naivete"),
        ("ÉCOLE ÉTÉ", "ecole-ete"),
    ],
)
def test_accented_letters_become_ascii(title, expected):
    assert slugify(title) == expected


@pytest.mark.parametrize("title", ["", "   ", "\t\n", "#", "## ", "!!!", "日本語", "🎉🎉"])
def test_empty_or_unusable_titles_give_empty_slug(title):
    assert slugify(title) == ""


def test_characters_without_ascii_form_are_dropped():
    assert slugify("東京 travel guide") == "travel-guide"
    assert slugify("Party 🎉 time") == "party-time"


def test_existing_behaviour_is_kept():
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("## Release notes: v2.0") == "release-notes-v2-0"
    assert slugify("  Multiple   spaces -- and dashes ") == "multiple-spaces-and-dashes"
    result = slugify("Ünïcödé heading " * 3)
    assert result.isascii() and result == result.lower()


def test_truncation_keeps_whole_words_with_unicode_input():
    assert slugify("Crème brûlée recipe", max_length=12) == "creme-brulee"
    assert slugify("Crème brûlée recipe", max_length=15) == "creme-brulee"
    assert slugify("Crème brûlée recipe", max_length=19) == "creme-brulee-recipe"
    assert slugify("Ça va", max_length=2) == "ca"
