"""The command line: it parses options, prints, and sets exit codes; the library below does everything else.

- main.py — the entry point: the command line built and run (only the command named is registered), usage errors and
  completion, every outcome an exit code; `whole_app()` gives the app with every command (tests, the reference)
- app.py — the command tree and how a command joins it (its help, the options every command shares)
- commands/ — the commands, each a few lines: open the store, call the library, render
- options.py — the options several commands share, declared once, and their parsers
- output.py — stdout and stderr in the process's voice (language, log format), and the exit code of each outcome
- help.py — help, usage errors and completion in the user's language
"""
