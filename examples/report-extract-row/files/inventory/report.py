"""Fixed-width text reports for the warehouse terminal."""

NAME_WIDTH = 20
QTY_WIDTH = 6
PRICE_WIDTH = 10


def render_report(items):
    """Full stock report: one row per item, then a TOTAL row (stock value)."""
    lines = ["NAME".ljust(NAME_WIDTH) + "QTY".rjust(QTY_WIDTH) + "PRICE".rjust(PRICE_WIDTH)]
    total_qty = 0
    total_value = 0.0
    for item in items:
        name = item["name"]
        if len(name) > NAME_WIDTH:
            name = name[:NAME_WIDTH - 3] + "..."
        lines.append(
            name.ljust(NAME_WIDTH)
            + str(item["qty"]).rjust(QTY_WIDTH)
            + ("%.2f" % item["price"]).rjust(PRICE_WIDTH)
        )
        total_qty += item["qty"]
        total_value += item["qty"] * item["price"]
    lines.append(
        "TOTAL".ljust(NAME_WIDTH)
        + str(total_qty).rjust(QTY_WIDTH)
        + ("%.2f" % total_value).rjust(PRICE_WIDTH)
    )
    return "\n".join(lines)


def render_low_stock(items, threshold=5):
    """Items whose quantity is below `threshold`, lowest quantity first."""
    low = sorted((i for i in items if i["qty"] < threshold), key=lambda i: i["qty"])
    lines = ["NAME".ljust(NAME_WIDTH) + "QTY".rjust(QTY_WIDTH) + "PRICE".rjust(PRICE_WIDTH)]
    for item in low:
        name = item["name"]
        if len(name) > NAME_WIDTH:
            name = name[:NAME_WIDTH - 3] + "..."
        lines.append(
            name.ljust(NAME_WIDTH)
            + str(item["qty"]).rjust(QTY_WIDTH)
            + ("%.2f" % item["price"]).rjust(PRICE_WIDTH)
        )
    if not low:
        lines.append("(nothing below %d)" % threshold)
    return "\n".join(lines)
