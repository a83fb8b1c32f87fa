"""Money is integer cents plus an ISO currency code; this formats it without floats."""


def format_cents(value: int, currency: str = "") -> str:
    """300000 → "3,000.00" (with " USD" when a currency is given)."""
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(int(value)), 100)
    text = f"{sign}{whole:,}.{fraction:02d}"
    return f"{text} {currency}" if currency else text


CURRENCY_SYMBOLS = {"USD": "$"}


def format_money(value: int, currency: str = "USD") -> str:
    """An amount as read in running text: 100000 USD → "$1,000.00" (a currency without
    a symbol here is named after the amount: "1,000.00 EUR")."""
    symbol = CURRENCY_SYMBOLS.get((currency or "USD").upper())
    if symbol is None:
        return format_cents(value, currency)
    text = format_cents(value)
    return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"
