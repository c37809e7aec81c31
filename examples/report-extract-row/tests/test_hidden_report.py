import random

from inventory import report

ITEMS = [
    {"name": "Widget", "qty": 12, "price": 2.5},
    {"name": "Extra-long industrial gasket kit", "qty": 3, "price": 149.999},
    {"name": "Bolt M6", "qty": 0, "price": 0.1},
    {"name": "Exactly twenty chars", "qty": 1234567, "price": 1234567.891},
]


def _original_row(name, qty, price):
    # Row layout of the report before the refactor.
    if len(name) > 20:
        name = name[:17] + "..."
    return name.ljust(20) + str(qty).rjust(6) + ("%.2f" % price).rjust(10)


def _original_report(items):
    header = "NAME".ljust(20) + "QTY".rjust(6) + "PRICE".rjust(10)
    rows = [_original_row(i["name"], i["qty"], i["price"]) for i in items]
    total_qty = 0
    total_value = 0.0
    for i in items:
        total_qty += i["qty"]
        total_value += i["qty"] * i["price"]
    return "\n".join([header] + rows + [_original_row("TOTAL", total_qty, total_value)])


def _original_low_stock(items, threshold=5):
    low = sorted((i for i in items if i["qty"] < threshold), key=lambda i: i["qty"])
    lines = ["NAME".ljust(20) + "QTY".rjust(6) + "PRICE".rjust(10)]
    lines += [_original_row(i["name"], i["qty"], i["price"]) for i in low]
    if not low:
        lines.append("(nothing below %d)" % threshold)
    return "\n".join(lines)


def test_format_row_and_header():
    assert report.format_header() == "NAME                   QTY     PRICE"
    assert report.format_row("Widget", 12, 2.5) == "Widget                  12      2.50"
    assert report.format_row("Extra-long industrial gasket kit", 3, 149.999) == (
        "Extra-long indust...     3    150.00"
    )
    assert report.format_row("Exactly twenty chars", 0, 0) == "Exactly twenty chars     0      0.00"
    assert report.format_row("TOTAL", 7, 99999.5) == "TOTAL                    7  99999.50"


def test_output_is_unchanged_for_known_inputs():
    assert report.render_report(ITEMS) == _original_report(ITEMS)
    assert report.render_report([]) == _original_report([])
    assert report.render_low_stock(ITEMS) == _original_low_stock(ITEMS)
    assert report.render_low_stock(ITEMS, threshold=0) == _original_low_stock(ITEMS, 0)
    assert report.render_low_stock([], threshold=3).endswith("(nothing below 3)")


def test_output_is_unchanged_for_random_inputs():
    rng = random.Random(42)
    alphabet = "abcdefghij KLMNOP-é"
    for _ in range(100):
        items = [
            {
                "name": "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))),
                "qty": rng.randint(0, 10 ** rng.randint(1, 7)),
                "price": round(rng.uniform(0, 10 ** rng.randint(0, 6)), rng.randint(0, 4)),
            }
            for _ in range(rng.randint(0, 6))
        ]
        threshold = rng.randint(0, 20)
        assert report.render_report(items) == _original_report(items)
        assert report.render_low_stock(items, threshold) == _original_low_stock(items, threshold)


def test_render_functions_go_through_the_helpers(monkeypatch):
    calls = []
    header_calls = []
    real_row = report.format_row
    real_header = report.format_header

    def spy_row(name, qty, price):
        calls.append(name)
        return real_row(name, qty, price)

    def spy_header():
        header_calls.append(True)
        return real_header()

    monkeypatch.setattr(report, "format_row", spy_row)
    monkeypatch.setattr(report, "format_header", spy_header)

    report.render_report(ITEMS)
    assert calls == [i["name"] for i in ITEMS] + ["TOTAL"]
    assert len(header_calls) == 1

    calls.clear()
    report.render_low_stock(ITEMS, threshold=5)
    assert calls == ["Bolt M6", "Extra-long industrial gasket kit"]
    assert len(header_calls) == 2
