"""The programme's figures, in SQL, as exact values: integers, Fractions and Decimals, never rounded here.

Each KPI is specified once in kpis.py (population, numerator, denominator, target, verdict rule); every
output reads its verdict from there. The rules are written out in the README ('How the figures are
computed'); keep the two in step.
"""
