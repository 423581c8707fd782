"""Reading the programme's files and checking every row against schemas/ before anything is written.

files (which files, which kinds), decode (bytes to text), tables (text frames with canonical columns),
programme (the settings file), rs (the government's RS open data), validate (pandera's findings as
failures), and ingest (`kpi load`: all files or none).
"""
