"""N_: marks the words of core/ that the pages show (class names, titles of presets, models, augmentation
levels, feature-map titles) for the dashboard's message catalog (babel.cfg; ui/i18n.py translates them
where they are drawn). It changes nothing: core itself and its CLIs stay English."""


def N_(text: str) -> str:
    """`text`, marked for the catalog."""
    return text
