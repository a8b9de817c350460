"""The seed's own worked example (shared/seeds/003, "Cazzago San Martino Servizi", 15/01/2015).

The seed prints each item's share of risk answers with two decimals: 0,17, 0,33, 0,83 and 1,00 are
1, 2, 5 and 6 compilers out of six. Items not listed here are printed as 0,00. Area A prints 0,00 for
every indicator and for the area: on the 0/1/4 scale that is every indicator "diminuito".
"""
COMPILERS = 6

# item id -> how many of the six compilers gave the risk answer
RISK_COUNTS = {
    # Evoluzione della carriera: 0,83 0,00 0,00 0,83 1,00 0,00 (printed total 3,00)
    "B3.1": 5, "B3.4": 5, "B3.5": 6,
    # Autonomia decisionale: 0,00 0,17 0,00 0,83 0,00 (printed total 1,00)
    "B4.2": 1, "B4.4": 5,
    # Interfaccia casa lavoro: mensa 1,00 (printed 0,00 after the rule)
    "B6.1": 6,
    # Ambiente: aggressione fisica 1,00 (printed 1,00)
    "C1.8": 6,
    # Pianificazione: 1,00 0,00 0,00 0,33 0,33 (printed 2,00)
    "C2.1": 6, "C2.4": 2, "C2.5": 2,
    # Carico: 0,33 and 0,17 (printed 0,50)
    "C3.2": 2, "C3.8": 1,
    # Orario: 1,00 0,33 0,33 0,33 0,33 (printed 2,50)
    "C4.1": 6, "C4.2": 2, "C4.3": 2, "C4.4": 2, "C4.5": 2,
}


def risk_value(item):
    return next(c.value for c in item.choices if c.risk)


def safe_value(item):
    return next(c.value for c in item.choices if not c.risk and c.score == 0)


def answers(checklist, *, area_a="diminuito"):
    """One list of six answers per item: the first k compilers give the risk answer."""
    result = {}
    for item in checklist.items():
        if item.id.startswith("A"):
            result[item.id] = [area_a] * COMPILERS
            continue
        k = RISK_COUNTS.get(item.id, 0)
        result[item.id] = [risk_value(item)] * k + [safe_value(item)] * (COMPILERS - k)
    return result
