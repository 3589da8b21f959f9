extensions = ["wispgate_connectors"]
exclude_patterns = ["_build", "data"]
nitpicky = True
project = "Test"
html_theme = "furo"
