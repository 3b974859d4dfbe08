"""Défi Moov'IDF: the input file's template, its import and checks, the figures, the report, the section.

The flow: `template` writes an empty input file; schools fill it in (or a form exports one);
`reader` turns a CSV or XLSX into raw rows, `checks` turns them into `CountRow`s or a list of
problems with their row numbers, `store` keeps the validated rows of a year in
`defi/<year>.json`; `figures` computes everything the report and the section show from them.
"""
