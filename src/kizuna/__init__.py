"""Kizuna (絆): the coordination system of the Japan–US alliance."""
