"""Write newsletter/locale/fr/LC_MESSAGES/click.po: Click's and Typer's own words in French.

Run by `make catalogs` after extracting newsletter/locale/click.pot from the installed Click and
Typer (their messages are gettext-marked; they ship no French catalog).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

FRENCH: dict[str, str | tuple[str, str]] = {
    "deprecated": "obsolète",
    # Click writes a section heading as f"{name}:"; the no-break space gives the French "Options :".
    "Options": "Options\u00a0",
    "Got unexpected extra argument ({args})": ("Argument en trop : {args}", "Arguments en trop : {args}"),
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "Attention : la commande {name!r} est obsolète.{extra_message}",
    "Aborted!": "Abandon.",
    "Commands": "Commandes\u00a0",
    "Missing command.": "Il manque la commande.",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Takes {nargs} values but 1 was given.": ("Attend {nargs} valeurs, mais 1 a été donnée.", "Attend {nargs} valeurs, mais {len} ont été données."),
    "Name '{name}' defined twice": "Nom « {name} » défini deux fois",
    "env var: {var}": "variable d’environnement : {var}",
    "default: {default}": "par défaut : {default}",
    "(dynamic)": "(calculé)",
    "Did you mean {possibility}?": ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l’une de : {possibilities} ?)"),
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l’aide.",
    "Invalid value: {message}": "Valeur incorrecte : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur incorrecte pour {param_hint} : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "No such option {name!r}.": "Option inconnue : {name}.",
    "No such option: {name}": "Option inconnue : {name}",
    "No such command {name!r}.": "Commande inconnue : {name}.",
    "unknown error": "erreur inconnue",
    "Could not open file {filename!r}: {message}": "Impossible d’ouvrir le fichier {filename!r} : {message}",
    "Invalid start character for option ({option})": "Caractère de début d’option incorrect ({option})",
    "Argument {name!r} takes {nargs} values.": "L’argument {name!r} attend {nargs} valeurs.",
    "Option {name!r} does not take a value.": "L’option {name} ne prend pas de valeur.",
    "Option {name!r} requires an argument.": ("L’option {name} demande une valeur.", "L’option {name} demande {nargs} valeurs."),
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "{value!r} is not {choice}.": ("{value!r} n’est pas {choice}.", "{value!r} n’est pas l’une des valeurs {choices}."),
    "{value!r} does not match the format {format}.": ("{value!r} ne suit pas le format {format}.", "{value!r} ne suit aucun des formats {formats}."),
    "{value!r} is not a valid {number_type}.": "{value!r} n’est pas un nombre valide ({number_type}).",
    "{value} is not in the range {range}.": "{value} n’est pas dans l’intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} n’est pas un booléen valide. Valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "{value!r} n’est pas un UUID valide.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} illisible (droits insuffisants).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} non modifiable (droits insuffisants).",
    "{name} {filename!r} is not executable.": "{name} {filename!r} non exécutable.",
    "{len_type} values are required, but {len_value} was given.": ("{len_type} valeurs sont attendues, {len_value} a été donnée.", "{len_type} valeurs sont attendues, {len_value} ont été données."),
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : réponse non reconnue",
    "Unknown color {colour!r}": "Couleur inconnue : {colour!r}",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Usage:": "Utilisation :",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Confirm the action without prompting.": "Confirmer sans poser la question.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Unknown standard stream '{name}'": "Flux standard inconnu : « {name} »",
    "required": "obligatoire",
    "Arguments": "Arguments\u00a0",
}


def main(pot: Path, po: Path) -> int:
    with pot.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        french = FRENCH.get(key)
        if french is None:
            # Click's developer-facing errors (a bad decorator) never reach the user: keep them English.
            missing.append(key)
            continue
        if isinstance(message.id, tuple):
            singular, plural = french if isinstance(french, tuple) else (french, french)
            # Babel's French has three plural forms (0-1, millions, other): all but the first are plural.
            message.string = (singular, *[plural] * (catalog.num_plurals - 1))
        else:
            message.string = french[0] if isinstance(french, tuple) else french
    catalog.fuzzy = False
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True)
    for key in missing:
        sys.stderr.write(f"left in English (developer-facing): {key!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
