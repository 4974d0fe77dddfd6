"""Static material for the fictional demo borough, Riverside: place names and organisations.

Everything here is invented. Names that happen to match a real body elsewhere are coincidence;
contact details use reserved ranges (example.org, Ofcom's drama telephone numbers).
"""
