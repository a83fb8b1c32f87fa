"""Money is integer cents plus an ISO currency code; this formats it without floats."""


def format_cents(value: int, currency: str = "") -> str:
    """300000 → "3,000.00" (with " USD" when a currency is given)."""
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(int(value)), 100)
    text = f"{sign}{whole:,}.{fraction:02d}"
    return f"{text} {currency}" if currency else text
